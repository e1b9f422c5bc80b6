import {
  Annotations,
  Fn,
  Op,
  propertyAccess,
  TerraformDataSource,
  TerraformProvider,
  TerraformStack,
  TerraformVariable,
  Token,
} from 'cdktn';
import type { Construct } from 'constructs';
import { LaceworkAccessTokenBase } from './access-token.js';
import { LaceworkKeyVariablesBase, type LaceworkKeyVariablesConfig } from './key-variables.js';
import type { CdkLibrary } from './library.js';
import type { LaceworkAccessTokenConfig } from './options.js';

const cdktn: CdkLibrary = {
  Annotations,
  Fn,
  Op,
  propertyAccess,
  TerraformDataSource,
  TerraformProvider,
  TerraformStack,
  TerraformVariable,
  Token,
};

/**
 * A Lacework API access token, requested by Terraform at plan/apply time through a
 * `hashicorp/http` data source (`data.http.<id>`): POST `<baseUrl>/api/v2/access/tokens` with the
 * key's secret in `X-LW-UAKS`. Nothing is fetched at synth time. For CDK Terrain (`cdktn`); for
 * cdktf 0.21 import from `@lacework-auth/cdktf`.
 *
 * @example
 * ```ts
 * const key = new LaceworkKeyVariables(this, 'key');          // var.lacework_key_id, var.lacework_secret
 * const lacework = new LaceworkAccessToken(this, 'lacework', { account: 'acme', ...key.config() });
 * new TerraformOutput(this, 'expires_at', { value: lacework.expiresAt });
 * new TerraformDataSource(this, 'profile', { terraformResourceType: 'http' })
 *   .addOverride('request_headers', lacework.apiHeaders);
 * ```
 */
export class LaceworkAccessToken extends LaceworkAccessTokenBase {
  /** The `http` data source that performs the exchange (escape hatch: `addOverride`). */
  declare readonly dataSource: TerraformDataSource;

  constructor(scope: Construct, id: string, config: LaceworkAccessTokenConfig) {
    super(cdktn, scope, id, config);
  }
}

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
export class LaceworkKeyVariables extends LaceworkKeyVariablesBase {
  /** The declared variables, by role. */
  declare readonly variables: {
    readonly keyId: TerraformVariable;
    readonly secret: TerraformVariable;
    readonly account?: TerraformVariable;
    readonly baseUrl?: TerraformVariable;
  };

  constructor(scope: Construct, id: string, config: LaceworkKeyVariablesConfig = {}) {
    super(cdktn, scope, id, config);
  }
}
