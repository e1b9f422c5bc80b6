import { Construct } from 'constructs';
import { httpToken } from './http-token.js';
import type { CdkLibrary, DataSourceLike, ProviderLike } from './library.js';
import {
  type LaceworkAccessTokenConfig,
  type LaceworkTokenMode,
  normalizeConfig,
} from './options.js';
import { providerToken } from './provider-token.js';

/**
 * Shared implementation of `LaceworkAccessToken`; each entry point (`@lacework-auth/cdktf`,
 * `@lacework-auth/cdktf/cdktn`) binds it to its Terraform CDK library.
 *
 * @internal
 */
export class LaceworkAccessTokenBase extends Construct {
  /** How Terraform gets the token. */
  readonly mode: LaceworkTokenMode;
  /**
   * The Terraform element that produces the token: `data.lacework-auth_token.<id>` (default),
   * `ephemeral.lacework-auth_token.<id>` or `data.http.<id>`. Escape hatch (`addOverride`).
   */
  readonly dataSource: DataSourceLike;
  /** The `lacework-auth` provider block of this token (provider modes), else undefined. */
  readonly provider: ProviderLike | undefined;
  /** The API base URL (`https://acme.lacework.net`), a literal or a Terraform expression. */
  readonly baseUrl: string;
  /** The bearer token, sensitive (ephemeral in `mode: 'ephemeral'`). */
  readonly token: string;
  /** When the token expires (RFC 3339): the earlier of Lacework's expiresAt and request time + expiryTime. */
  readonly expiresAt: string;
  /** `Bearer <token>`, sensitive. */
  readonly authorizationHeader: string;
  /**
   * Headers for Lacework API calls: `Authorization`, `Accept`, plus `Account-Name` /
   * `Org-Access` when configured. `Authorization` is sensitive.
   */
  readonly apiHeaders: Record<string, string>;

  protected constructor(
    lib: CdkLibrary,
    scope: Construct,
    id: string,
    config: LaceworkAccessTokenConfig,
  ) {
    super(scope, id);
    const options = normalizeConfig(lib, config);
    const parts =
      options.mode === 'http-data-source'
        ? httpToken(lib, this, options)
        : providerToken(lib, this, options);
    this.mode = options.mode;
    this.dataSource = parts.element;
    this.provider = parts.provider;
    this.baseUrl = parts.baseUrl;
    this.token = parts.token;
    this.expiresAt = parts.expiresAt;
    // A template with a sensitive part is sensitive as a whole.
    this.authorizationHeader = `Bearer ${this.token}`;
    this.apiHeaders = {
      Authorization: this.authorizationHeader,
      Accept: 'application/json',
      ...(parts.subAccount !== undefined ? { 'Account-Name': parts.subAccount } : {}),
      ...(options.orgAccess ? { 'Org-Access': 'true' } : {}),
    };
  }

  /** The token's Terraform address (`data.lacework-auth_token.<id>`, ...), for `dependsOn`. */
  get fqn(): string {
    return this.dataSource.fqn;
  }

  /**
   * The URL of a Lacework API v2 path on this account.
   *
   * @example
   * ```ts
   * token.apiUrl('UserProfile'); // `${baseUrl}/api/v2/UserProfile`
   * ```
   */
  apiUrl(path: string): string {
    return `${this.baseUrl}/api/v2/${path.replace(/^\/+/, '').replace(/^api\/v2\//, '')}`;
  }
}
