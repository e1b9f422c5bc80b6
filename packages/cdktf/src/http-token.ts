import { MAX_EXPIRY_TIME, TOKEN_PATH } from '@lacework-auth/core';
import { HEADERS } from '@lacework-auth/core/protocol';
import type { Construct } from 'constructs';
import { stackBaseUrl } from './base-url.js';
import { tokenPostconditions } from './conditions.js';
import { ensureHttpProvider, HTTP_PROVIDER_VERSION } from './http-provider.js';
import type { CdkLibrary } from './library.js';
import type { NormalizedConfig } from './options.js';
import { escapeTemplate, type TokenParts } from './token-parts.js';

/**
 * `mode: 'http-data-source'`: the exchange as a `data "http"` POST on `hashicorp/http`. Terraform
 * stores a data source's arguments and results in state and plan files, so the secret (in
 * `request_headers`) and the token (in `response_body`) are stored there.
 */
export function httpToken(
  lib: CdkLibrary,
  scope: Construct,
  options: NormalizedConfig,
): TokenParts {
  const { Fn, Token } = lib;
  const text = (value: string) => (Token.isUnresolved(value) ? value : escapeTemplate(value));
  const secret = options.secret as string;
  const keyId = options.keyId as string;

  const base = stackBaseUrl(lib, options.account, options.baseUrl);
  const url = `${base.baseUrl}${TOKEN_PATH}`;
  const subAccount = options.subAccount === undefined ? undefined : text(options.subAccount);

  if (options.secretIsLiteral) {
    lib.Annotations.of(scope).addWarning(
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

  const provider = options.provider ?? ensureHttpProvider(lib, scope);
  // The child id "Default" is left out of logical ids, so the data source is data.http.<id>
  // exactly as if it had been created in this scope directly.
  const ds = new lib.TerraformDataSource(scope, 'Default', {
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

  // The headers of the protocol's tokenRequest (core's protocol module): Account-Name and
  // Org-Access on the token request too (the Go SDK sends Account-Name there; Org-Access selects
  // the organization-level token). The conformance table checks them under Terraform.
  const requestHeaders: Record<string, string> = {
    // sensitive() keeps the secret hidden in plans even when it comes from a variable that was
    // not declared sensitive. It does not keep it out of state: see the README.
    [HEADERS.secret]: Token.asString(Fn.sensitive(text(secret))),
    [HEADERS.contentType]: 'application/json',
    [HEADERS.accept]: 'application/json',
  };
  if (subAccount !== undefined) requestHeaders[HEADERS.accountName] = subAccount;
  if (options.orgAccess) requestHeaders[HEADERS.orgAccess] = 'true';

  ds.addOverride('url', url);
  ds.addOverride('method', 'POST');
  ds.addOverride('request_headers', requestHeaders);
  ds.addOverride(
    'request_body',
    Fn.jsonencode({ keyId: text(keyId), expiryTime: options.expiryTime }),
  );
  ds.addOverride('request_timeout_ms', options.timeout);
  if (options.retry) {
    ds.addOverride('retry', {
      attempts: options.retry.limit,
      min_delay_ms: options.retry.backoffStart,
      max_delay_ms: options.retry.backoffLimit,
    });
  }

  const response = Fn.jsondecode(ds.getStringAttribute('response_body'));
  const serverExpiry = Token.asString(lib.propertyAccess(response, ['expiresAt']));
  // As core: the earlier of Lacework's expiresAt and request time + expiryTime, so a clock ahead
  // of this machine's cannot stretch the token's life. plantimestamp() is when the plan started,
  // at or before the request, so this errs early, never late.
  const lifetime = Token.isUnresolved(options.expiryTime)
    ? `${Token.asString(options.expiryTime)}s`
    : `${options.expiryTime}s`;
  const localExpiry = Fn.timeadd(Fn.plantimestamp(), lifetime);
  // timecmp is 1 when Lacework's expiry is the later one.
  const expiresAt = Token.asString(
    Fn.conditional(lib.Op.eq(Fn.timecmp(serverExpiry, localExpiry), 1), localExpiry, serverExpiry),
  );
  return {
    element: ds,
    provider: undefined,
    baseUrl: base.baseUrl,
    token: Token.asString(Fn.sensitive(lib.propertyAccess(response, ['token']))),
    expiresAt,
    subAccount,
  };
}
