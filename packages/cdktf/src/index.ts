import * as cdktf from 'cdktf';
import { bindConstructs } from './constructs.js';

export * from './exports.js';

const bound = bindConstructs<cdktf.TerraformVariable>(cdktf);

/**
 * A Lacework API access token, requested by Terraform at plan/apply time. By default a
 * `data "lacework-auth_token"` on this package's Terraform provider (`terraform.local/lacework-auth/lacework-auth`,
 * installed with `npx lacework-auth-terraform-provider install`): the provider reads the key where
 * Terraform runs (`LW_API_KEY`, `LW_API_SECRET`, a profile or a key file), so the secret is never
 * in the stack, state, plan files or output, and caches the token (0600) across plan and apply.
 * `mode: 'http-data-source'` uses `hashicorp/http` instead (it stores the secret in state).
 * For cdktf 0.21; for CDK Terrain (and `mode: 'ephemeral'`) import from `@lacework-auth/cdktf/cdktn`.
 *
 * @example
 * ```ts
 * const lacework = new LaceworkAccessToken(this, 'lacework', { account: 'acme' });
 * new TerraformOutput(this, 'expires_at', { value: lacework.expiresAt });
 * new TerraformDataSource(this, 'profile', { terraformResourceType: 'http' })
 *   .addOverride('request_headers', lacework.apiHeaders);
 * ```
 */
export class LaceworkAccessToken extends bound.LaceworkAccessToken {}

/**
 * Declares the Lacework API key as Terraform variables, so the secret never appears in code or
 * in `cdktf.out`: `lacework_key_id`, `lacework_secret` (sensitive) and optionally
 * `lacework_account` / `lacework_base_url`. Terraform reads them from `TF_VAR_lacework_secret` etc.
 *
 * @example
 * ```ts
 * const key = new LaceworkKeyVariables(this, 'key', { account: true });
 * new LaceworkAccessToken(this, 'lacework', key.config());
 * ```
 */
export class LaceworkKeyVariables extends bound.LaceworkKeyVariables {}
