// @ts-check
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are Terraform expressions, not JS templates
import { join } from 'node:path';
import {
  HTTP_PROVIDER_SOURCE,
  HTTP_PROVIDER_VERSION,
  LaceworkAccessToken,
  LaceworkKeyVariables,
} from '@lacework-auth/cdktf';
import {
  App,
  Fn,
  LocalBackend,
  propertyAccess,
  TerraformDataSource,
  TerraformOutput,
  TerraformProvider,
  TerraformStack,
  TerraformVariable,
  Token,
} from 'cdktf';

/** `provider "http" {}` for the UserProfile call (hashicorp/http, without prebuilt bindings). */
class HttpProvider extends TerraformProvider {
  /** @param {import('constructs').Construct} scope */
  constructor(scope) {
    super(scope, 'http', {
      terraformResourceType: 'http',
      terraformProviderSource: HTTP_PROVIDER_SOURCE,
      terraformGeneratorMetadata: {
        providerName: 'http',
        providerVersionConstraint: HTTP_PROVIDER_VERSION,
      },
    });
  }
}

/** Name of the stack directory under `<outdir>/stacks/`. */
export const STACK_NAME = 'lacework-token';

/**
 * @typedef {object} StackOptions
 * @property {string} [account] Lacework account (`acme`), baked into the stack.
 * @property {string} [baseUrl] API base URL (a proxy or the emulator), baked into the stack.
 *   With neither, the stack declares `lacework_base_url` (TF_VAR_lacework_base_url).
 * @property {string} [subAccount] Sub-account sent as `Account-Name`.
 * @property {number} [expiryTime] Token lifetime in seconds (default 3600).
 * @property {'data-source' | 'http-data-source'} [mode] How Terraform gets the token. The default,
 *   `data-source`, runs the lacework-auth provider, which reads the key from LW_API_KEY /
 *   LW_API_SECRET where Terraform runs (never part of the stack, its state or plans);
 *   `http-data-source` POSTs the key from TF_VAR_lacework_* with hashicorp/http, which stores the
 *   secret in state.
 */

/**
 * The example stack: Terraform gets a token at plan time (by default from the lacework-auth
 * provider, which reads `LW_API_KEY` / `LW_API_SECRET` from its environment), then calls
 * `GET /api/v2/UserProfile` with the token. Outputs: `expires_at`, `username`, `token`
 * (sensitive).
 *
 * @param {import('constructs').Construct} scope usually an `App`
 * @param {string} [name]
 * @param {StackOptions} [options]
 */
export function createStack(scope, name = STACK_NAME, options = {}) {
  const stack = new TerraformStack(scope, name);
  // Relative, so the state lands next to cdk.tf.json wherever Terraform runs it.
  new LocalBackend(stack, { path: 'terraform.tfstate' });

  const { account, baseUrl, subAccount, expiryTime, mode = 'data-source' } = options;
  const needsBaseUrl = !account && !baseUrl;
  /** @type {{ mode?: 'http-data-source', keyId?: string, secret?: string, baseUrl?: string }} */
  let key = {};
  if (mode === 'http-data-source') {
    // hashicorp/http gets the key from variables (TF_VAR_lacework_key_id, TF_VAR_lacework_secret).
    key = new LaceworkKeyVariables(stack, 'key', { baseUrl: needsBaseUrl }).config();
  } else if (needsBaseUrl) {
    const variable = new TerraformVariable(stack, 'lacework_base_url', {
      type: 'string',
      description: 'Lacework API base URL, e.g. https://acme.lacework.net or a proxy.',
    });
    key = { baseUrl: variable.stringValue };
  }
  const lacework = new LaceworkAccessToken(stack, 'lacework', {
    ...key,
    ...(account ? { account } : {}),
    ...(baseUrl ? { baseUrl } : {}),
    ...(subAccount ? { subAccount } : {}),
    ...(expiryTime ? { expiryTime } : {}),
  });

  // Any http data source can call the API with the token's headers.
  new HttpProvider(stack);
  const profile = new TerraformDataSource(stack, 'user_profile', {
    terraformResourceType: 'http',
    terraformGeneratorMetadata: { providerName: 'http' },
    lifecycle: {
      postcondition: [
        {
          condition: '${self.status_code == 200}',
          errorMessage:
            'GET /api/v2/UserProfile answered HTTP ${self.status_code}: the token was not accepted (403 means expired or revoked).',
        },
      ],
    },
  });
  profile.addOverride('url', lacework.apiUrl('UserProfile'));
  profile.addOverride('request_headers', lacework.apiHeaders);
  profile.addOverride('retry', { attempts: 2, min_delay_ms: 500, max_delay_ms: 5000 });

  const user = propertyAccess(Fn.jsondecode(profile.getStringAttribute('response_body')), [
    'data',
    0,
    'username',
  ]);

  new TerraformOutput(stack, 'expires_at', {
    value: lacework.expiresAt,
    description: 'When the Lacework token expires.',
  });
  new TerraformOutput(stack, 'username', {
    value: Token.asString(user),
    description: 'The Lacework user the API key belongs to (from /api/v2/UserProfile).',
  });
  new TerraformOutput(stack, 'token', {
    value: lacework.token,
    sensitive: true,
    description: 'The bearer token (terraform output -raw token).',
  });

  return { stack, key, lacework, profile };
}

/**
 * Builds the app and synthesizes it into `outdir`; returns where Terraform should run.
 * This is the entry point tests call (`packages/cdktf/test` runs it under real Terraform).
 *
 * @param {StackOptions & { outdir: string, stackName?: string }} options
 * @returns {{ app: App, stack: TerraformStack, stackDir: string, configFile: string }}
 * @example
 * const { stackDir } = buildApp({ outdir: 'cdktf.out', baseUrl: 'http://127.0.0.1:8080' });
 * // cd stackDir && TF_VAR_lacework_key_id=... TF_VAR_lacework_secret=... terraform init && terraform apply
 */
export function buildApp({ outdir, stackName = STACK_NAME, ...options }) {
  const app = new App({ outdir });
  const { stack } = createStack(app, stackName, options);
  app.synth();
  const stackDir = join(outdir, 'stacks', stackName);
  return { app, stack, stackDir, configFile: join(stackDir, 'cdk.tf.json') };
}
