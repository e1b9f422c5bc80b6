import { join } from 'node:path';
import { LaceworkAccessToken } from '@lacework-auth/cdktf/cdktn';
import {
  App,
  LocalBackend,
  TerraformDataSource,
  TerraformOutput,
  TerraformProvider,
  TerraformStack,
  TerraformVariable,
} from 'cdktn';
import type { Construct } from 'constructs';

/** Name of the stack directory under `<outdir>/stacks/`. */
export const EPHEMERAL_STACK = 'lacework-ephemeral';

/** `provider "lacework"` (lacework/lacework) without prebuilt bindings. */
class LaceworkProvider extends TerraformProvider {
  constructor(scope: Construct, id: string, config: { account: string; apiToken: string }) {
    super(scope, id, {
      terraformResourceType: 'lacework',
      terraformProviderSource: 'lacework/lacework',
      terraformGeneratorMetadata: { providerName: 'lacework' },
    });
    this.addOverride('account', config.account);
    this.addOverride('api_token', config.apiToken);
  }
}

/**
 * The ephemeral mode as a user writes it with CDK Terrain: the app targets Terraform >= 1.10, the
 * token is an ephemeral resource, and it configures the official Lacework provider (`api_token`),
 * whose `lacework_user_profile` data source calls the API. Nothing in the stack holds the key,
 * and Terraform stores neither the key nor the token.
 */
export function synthEphemeralStack(outdir: string): string {
  const app = new App({ outdir, context: { targetVersions: { terraform: '>=1.10.0' } } });
  const stack = new TerraformStack(app, EPHEMERAL_STACK);
  new LocalBackend(stack, { path: 'terraform.tfstate' });
  const baseUrl = new TerraformVariable(stack, 'lacework_base_url', { type: 'string' });
  baseUrl.overrideLogicalId('lacework_base_url');
  const lacework = new LaceworkAccessToken(stack, 'lacework', {
    mode: 'ephemeral',
    baseUrl: baseUrl.stringValue,
    expiryTime: 600,
  });
  new LaceworkProvider(stack, 'lacework_provider', {
    account: 'emulator',
    apiToken: lacework.token,
  });
  const profile = new TerraformDataSource(stack, 'me', {
    terraformResourceType: 'lacework_user_profile',
    terraformGeneratorMetadata: { providerName: 'lacework' },
  });
  // The Lacework provider's data source sets id to the username.
  new TerraformOutput(stack, 'username', { value: profile.getStringAttribute('id') });
  new TerraformOutput(stack, 'account_url', { value: profile.getStringAttribute('url') });
  app.synth();
  return join(outdir, 'stacks', EPHEMERAL_STACK);
}
