import { MAX_EXPIRY_TIME, TOKEN_PATH } from '@lacework-auth/core';
import { Construct } from 'constructs';
import { stackBaseUrl } from './base-url.js';
import { tokenPostconditions } from './conditions.js';
import { ensureHttpProvider, HTTP_PROVIDER_VERSION } from './http-provider.js';
import type { CdkLibrary, DataSourceLike } from './library.js';
import { type LaceworkAccessTokenConfig, normalizeConfig } from './options.js';

/**
 * Shared implementation of `LaceworkAccessToken`; each entry point (`@lacework-auth/cdktf`,
 * `@lacework-auth/cdktf/cdktn`) binds it to its Terraform CDK library.
 *
 * @internal
 */
export class LaceworkAccessTokenBase extends Construct {
  /**
   * The `http` data source that performs the exchange (`data.http.<id>`). Escape hatch for
   * settings this construct does not cover (`addOverride`).
   */
  readonly dataSource: DataSourceLike;
  /** The API base URL (`https://acme.lacework.net`), a literal or a Terraform expression. */
  readonly baseUrl: string;
  /** The bearer token, marked sensitive: `sensitive(jsondecode(response_body).token)`. */
  readonly token: string;
  /** When the token expires, as Lacework reports it (`2025-01-01T00:00:00.000Z`). */
  readonly expiresAt: string;
  /** `Bearer <token>`, marked sensitive. */
  readonly authorizationHeader: string;
  /**
   * Headers for Lacework API calls from other `http` data sources: `Authorization`, `Accept`,
   * plus `Account-Name` / `Org-Access` when configured. `Authorization` is sensitive.
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
    const { Fn, Token } = lib;
    const text = (value: string) => (Token.isUnresolved(value) ? value : escapeTemplate(value));

    const base = stackBaseUrl(lib, options.account, options.baseUrl);
    this.baseUrl = base.baseUrl;
    const url = `${base.baseUrl}${TOKEN_PATH}`;
    const subAccount = options.subAccount === undefined ? undefined : text(options.subAccount);

    if (options.secretIsLiteral) {
      lib.Annotations.of(this).addWarning(
        'LaceworkAccessToken: `secret` is a literal string, so it is written in plain text to the synthesized ' +
          'Terraform JSON (cdktf.out/stacks/<stack>/cdk.tf.json). Pass a sensitive TerraformVariable instead ' +
          '(new LaceworkKeyVariables(this, "key").secret) and set TF_VAR_lacework_secret when running Terraform.',
      );
    }

    const preconditions = [...base.preconditions];
    if (Token.isUnresolved(options.expiryTime)) {
      // A variable: the same rule as validateExpiryTime, checked once its value is known.
      const expiry = options.expiryTime;
      const { Op } = lib;
      preconditions.push({
        condition: Op.and(
          Op.and(Op.gte(expiry, 1), Op.lte(expiry, MAX_EXPIRY_TIME)),
          Op.eq(Fn.floor(expiry), expiry),
        ),
        errorMessage: `\`expiryTime\` must be an integer from 1 to ${MAX_EXPIRY_TIME} (seconds), got ${Token.asString(expiry)}.`,
      });
    }

    const provider = options.provider ?? ensureHttpProvider(lib, this);
    // The child id "Default" is left out of logical ids, so the data source is data.http.<id>
    // exactly as if it had been created in this scope directly.
    this.dataSource = new lib.TerraformDataSource(this, 'Default', {
      terraformResourceType: 'http',
      terraformGeneratorMetadata: {
        providerName: 'http',
        providerVersionConstraint: HTTP_PROVIDER_VERSION,
      },
      ...(options.provider ? { provider } : {}),
      ...(options.dependsOn ? { dependsOn: options.dependsOn } : {}),
      lifecycle: {
        ...(preconditions.length > 0 ? { precondition: preconditions } : {}),
        postcondition: tokenPostconditions({ url, subAccount }),
      },
    });

    const requestHeaders: Record<string, string> = {
      // sensitive() keeps the secret hidden in plans even when it comes from a variable that was
      // not declared sensitive.
      'X-LW-UAKS': Token.asString(Fn.sensitive(text(options.secret))),
      'Content-Type': 'application/json',
      Accept: 'application/json',
    };
    // The Go SDK sends Account-Name on the token request too (DESIGN.md).
    if (subAccount !== undefined) requestHeaders['Account-Name'] = subAccount;

    const ds = this.dataSource;
    ds.addOverride('url', url);
    ds.addOverride('method', 'POST');
    ds.addOverride('request_headers', requestHeaders);
    ds.addOverride(
      'request_body',
      Fn.jsonencode({ keyId: text(options.keyId), expiryTime: options.expiryTime }),
    );
    ds.addOverride('request_timeout_ms', options.requestTimeoutMs);
    if (options.retry) {
      ds.addOverride('retry', {
        attempts: options.retry.attempts,
        min_delay_ms: options.retry.minDelayMs,
        max_delay_ms: options.retry.maxDelayMs,
      });
    }

    const response = Fn.jsondecode(ds.getStringAttribute('response_body'));
    this.token = Token.asString(Fn.sensitive(lib.propertyAccess(response, ['token'])));
    this.expiresAt = Token.asString(lib.propertyAccess(response, ['expiresAt']));
    // A template with a sensitive part is sensitive as a whole.
    this.authorizationHeader = `Bearer ${this.token}`;
    this.apiHeaders = {
      Authorization: this.authorizationHeader,
      Accept: 'application/json',
      ...(subAccount !== undefined ? { 'Account-Name': subAccount } : {}),
      ...(options.orgAccess ? { 'Org-Access': 'true' } : {}),
    };
  }

  /** The data source's Terraform address (`data.http.<id>`), so the token works in `dependsOn`. */
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

/** Escapes Terraform template sequences in a literal so it reaches Terraform unchanged. */
export function escapeTemplate(value: string): string {
  return value.replace(/\$\{/g, '$${').replace(/%\{/g, '%%{');
}
