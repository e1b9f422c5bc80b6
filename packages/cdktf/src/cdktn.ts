import * as cdktn from 'cdktn';
import { bindConstructs } from './constructs.js';

export * from './exports.js';

const bound = bindConstructs<cdktn.TerraformVariable>(cdktn);

/**
 * A Lacework API access token, requested by Terraform at plan/apply time. By default a
 * `data "lacework-auth_token"` on this package's Terraform provider (`terraform.local/lacework-auth/lacework-auth`,
 * installed with `npx lacework-auth-terraform-provider install`): the provider reads the key where
 * Terraform runs (`LW_API_KEY`, `LW_API_SECRET`, a profile or a key file), so the secret is never
 * in the stack, state, plan files or output, and caches the token (0600) across plan and apply.
 * With `mode: 'ephemeral'` (Terraform >= 1.10; the app needs `targetVersions` terraform >= 1.10)
 * the token is never stored either: use it in another provider's configuration.
 * `mode: 'http-data-source'` uses `hashicorp/http` instead (it stores the secret in state).
 * For CDK Terrain (`cdktn`); for cdktf 0.21 import from `@lacework-auth/cdktf`.
 *
 * @example
 * ```ts
 * const app = new App({ context: { targetVersions: { terraform: '>=1.10.0' } } });
 * const lacework = new LaceworkAccessToken(stack, 'lacework', { account: 'acme', mode: 'ephemeral' });
 * new LaceworkProvider(stack, 'lacework', { account: 'acme', apiToken: lacework.token });
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
