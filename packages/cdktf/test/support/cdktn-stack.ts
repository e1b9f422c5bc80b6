import { join } from 'node:path';
import { LaceworkAccessToken, LaceworkKeyVariables } from '@lacework-auth/cdktf/cdktn';
import {
  App,
  LocalBackend,
  TerraformDataSource,
  TerraformOutput,
  TerraformResource,
  TerraformStack,
} from 'cdktn';

/** Name of the stack directory under `<outdir>/stacks/`. */
export const CDKTN_STACK = 'lacework-cdktn';

/**
 * The CDK Terrain (cdktn 0.24) variant of examples/cdktf-stack, as a user would write it (the
 * `@lacework-auth/cdktf/cdktn` entry point, built, as users get it): key
 * from variables, a token, a UserProfile call with the token, outputs. Synthesized into `outdir`;
 * returns the stack directory Terraform runs in.
 *
 * With `gated`, the token waits for a resource (`dependsOn` a `terraform_data`) that does not
 * exist before the first apply, so Terraform cannot read it at plan time and prints the planned
 * read, request headers and body included, in the plan instead.
 */
export function synthCdktnStack(outdir: string, options: { gated?: boolean } = {}): string {
  const app = new App({ outdir });
  const stack = new TerraformStack(app, CDKTN_STACK);
  // Relative to where Terraform runs; the default is an absolute path under the synth-time cwd.
  new LocalBackend(stack, { path: 'terraform.tfstate' });
  const key = new LaceworkKeyVariables(stack, 'key', { baseUrl: true });
  const gate = options.gated
    ? new TerraformResource(stack, 'gate', {
        terraformResourceType: 'terraform_data',
        terraformGeneratorMetadata: { providerName: 'terraform' },
      })
    : undefined;
  const lacework = new LaceworkAccessToken(stack, 'lacework', {
    ...key.config(),
    expiryTime: 600,
    ...(gate ? { dependsOn: [gate] } : {}),
  });

  const profile = new TerraformDataSource(stack, 'user_profile', {
    terraformResourceType: 'http',
    terraformGeneratorMetadata: { providerName: 'http' },
    dependsOn: [lacework],
  });
  profile.addOverride('url', lacework.apiUrl('UserProfile'));
  profile.addOverride('request_headers', lacework.apiHeaders);

  new TerraformOutput(stack, 'token', { value: lacework.token, sensitive: true });
  new TerraformOutput(stack, 'expires_at', { value: lacework.expiresAt });
  new TerraformOutput(stack, 'user_profile_status', {
    value: profile.getNumberAttribute('status_code'),
  });
  app.synth();
  return join(outdir, 'stacks', CDKTN_STACK);
}
