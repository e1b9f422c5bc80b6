import { isLoopbackHost, resolveBaseUrl } from '@lacework-auth/core';
import { holdsSecret } from '@lacework-auth/core/internal';
import { invalidOption } from './errors.js';
import { stableId } from './ids.js';
import { DEFAULT_VARIABLE_NAMES, type VariableNames } from './script.js';
import { shown } from './shown.js';

/** Options of {@link createEnvironment}. */
export interface EnvironmentOptions {
  /** Environment name shown in Postman. @default 'Lacework' */
  name?: string;
  /** Account name or domain (`acme`, `acme.lacework.net`); ignored when `baseUrl` is given. */
  account?: string;
  /**
   * API base URL (any https host; http only for loopback). A host outside `*.lacework.net` and
   * loopback also sets `lw_allow_any_host` to `true`: like core, an explicit base URL is trusted.
   * @default from `account`, else empty
   */
  baseUrl?: string;
  /** API key ID. @default '' */
  keyId?: string;
  /**
   * API key secret. Written only when given: leave it out for a file you share, and set the secret
   * in Postman (the variable is already of type secret) instead.
   * @default '' (not written)
   */
  secret?: string;
  /** Sub-account, sent as `Account-Name`. @default '' */
  subAccount?: string;
  /** Token lifetime in seconds, integer 1..86400. @default '' (the script uses 3600) */
  expiryTime?: number;
  /** Variable names, when the collection's script uses other names. @default DEFAULT_VARIABLE_NAMES */
  variables?: Partial<
    Pick<
      VariableNames,
      'baseUrl' | 'keyId' | 'secret' | 'subAccount' | 'expiryTime' | 'allowAnyHost'
    >
  >;
}

/** A value of a Postman environment file. */
export interface EnvironmentValue {
  key: string;
  value: string;
  /** `secret` makes Postman mask the value. */
  type: 'default' | 'secret';
  enabled: boolean;
}

/** A Postman environment file (the format Postman exports and `newman -e` / `postman -e` read). */
export interface PostmanEnvironment {
  id: string;
  name: string;
  values: EnvironmentValue[];
  _postman_variable_scope: 'environment';
}

function optionalString(value: unknown, option: string): string {
  if (value === undefined) return '';
  if (typeof value !== 'string') throw invalidOption(`\`${option}\` must be a string.`, option);
  return value.trim();
}

/**
 * A setting written as a plain (`default`) variable: a secret pasted into it (it starts with `_`,
 * as Lacework secrets do, or follows other text, such as the key ID pasted with its secret) is
 * refused, never written to a file this package calls safe to share.
 */
function plainSetting(value: unknown, option: 'keyId' | 'subAccount', example: string): string {
  const text = optionalString(value, option);
  if (holdsSecret(text)) {
    throw invalidOption(
      `\`${option}\` looks like an API secret or holds one (\`_\` and 11 or more letters or digits), so it is not shown and not written to the environment; give the ${option === 'keyId' ? 'key ID' : 'sub-account name'} alone there (e.g. \`${example}\`): the secret goes only into the secret-typed variable.`,
      option,
    );
  }
  return text;
}

/**
 * A Postman environment with the variables the Lacework auth script reads. `lw_secret` has type
 * `secret` (Postman masks it) and stays empty unless `secret` is given; a file holding the secret
 * must not be shared or committed.
 *
 * @example
 * ```ts
 * import { createEnvironment } from '@lacework-auth/postman';
 * const env = createEnvironment({ account: 'acme', keyId: 'ACME_1234' });
 * ```
 */
export function createEnvironment(options: EnvironmentOptions = {}): PostmanEnvironment {
  const names = { ...DEFAULT_VARIABLE_NAMES, ...options.variables };
  const name = options.name ?? 'Lacework';
  if (typeof name !== 'string' || name.trim() === '') {
    throw invalidOption('`name` must be a non-empty string.', 'name');
  }
  let baseUrl = optionalString(options.baseUrl, 'baseUrl');
  const account = optionalString(options.account, 'account');
  let anyHost = false;
  if (baseUrl) {
    baseUrl = resolveBaseUrl(baseUrl, { allowAnyHost: true });
    const host = new URL(baseUrl).hostname;
    anyHost = !host.endsWith('.lacework.net') && !isLoopbackHost(host);
  } else if (account) baseUrl = resolveBaseUrl(account);
  const { expiryTime } = options;
  if (
    expiryTime !== undefined &&
    (!Number.isInteger(expiryTime) || expiryTime < 1 || expiryTime > 86400)
  ) {
    throw invalidOption(
      `\`expiryTime\` must be an integer from 1 to 86400, got ${shown(expiryTime)}.`,
      'expiryTime',
    );
  }
  const value = (key: string, text: string, type: 'default' | 'secret' = 'default') => ({
    key,
    value: text,
    type,
    enabled: true,
  });
  return {
    id: stableId(`environment:${name}`),
    name,
    values: [
      value(names.baseUrl, baseUrl),
      value(names.keyId, plainSetting(options.keyId, 'keyId', 'ACME_1234…')),
      value(names.secret, optionalString(options.secret, 'secret'), 'secret'),
      value(names.subAccount, plainSetting(options.subAccount, 'subAccount', 'acme-dev')),
      value(names.expiryTime, expiryTime === undefined ? '' : String(expiryTime)),
      ...(anyHost ? [value(names.allowAnyHost, 'true')] : []),
    ],
    _postman_variable_scope: 'environment',
  };
}
