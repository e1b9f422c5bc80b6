import { DEFAULT_EXPIRY_TIME, InvalidOptionError, validateExpiryTime } from '@lacework-auth/core';
import {
  assertKnownOptions,
  describe,
  validateCount,
  validateInteger,
} from '@lacework-auth/core/internal';
import type { CdkLibrary } from './library.js';

/**
 * Retries of the token request, done by the `hashicorp/http` provider (go-retryablehttp). The
 * names are core's (`retry` of `createTokenProvider`): `limit` and `backoffLimit` mean the same
 * there.
 */
export interface LaceworkRetryConfig {
  /**
   * Retries after the first attempt. The provider retries connection errors, 429 and 5xx
   * (except 501), never other 4xx such as a rejected key.
   * @default 3
   */
  readonly limit?: number;
  /** First wait between retries, in ms; it doubles each time up to `backoffLimit`. @default 1000 */
  readonly backoffStart?: number;
  /** Longest wait between retries, in ms. @default 10000 */
  readonly backoffLimit?: number;
  /** @deprecated Use `limit`. */
  readonly attempts?: number;
  /** @deprecated Use `backoffStart`. */
  readonly minDelayMs?: number;
  /** @deprecated Use `backoffLimit`. */
  readonly maxDelayMs?: number;
}

/** A provider instance of either library (`cdktf` or `cdktn`); only its shape matters here. */
export interface HttpProviderRef {
  readonly terraformResourceType: string;
  readonly fqn: string;
}

/** A dependable of either library (anything with an `fqn`). */
export interface DependableRef {
  readonly fqn: string;
}

/**
 * How Terraform gets the token:
 * - `'data-source'` (default): `data "lacework-auth_token"` on this package's provider. The key
 *   comes from Terraform's environment (`LW_API_KEY`, `LW_API_SECRET`), a profile or a key file,
 *   never from the stack, so it is in no state, plan or output. The token is in state (sensitive).
 * - `'ephemeral'`: `ephemeral "lacework-auth_token"` (Terraform >= 1.10, CDK Terrain only):
 *   neither key nor token is ever stored; use it in provider blocks and other ephemeral values.
 * - `'http-data-source'`: the `hashicorp/http` data source, for environments that cannot run this
 *   package's provider. It stores the secret and the token in state and plan files.
 */
export type LaceworkTokenMode = 'data-source' | 'ephemeral' | 'http-data-source';

/** The modes, for validation and docs. */
export const TOKEN_MODES: readonly LaceworkTokenMode[] = [
  'data-source',
  'ephemeral',
  'http-data-source',
];

/**
 * Configuration of `LaceworkAccessToken`. Every string may be a literal or a Terraform token
 * (a `TerraformVariable`'s `stringValue`, a `TerraformLocal`, ...).
 */
export interface LaceworkAccessTokenConfig {
  /**
   * How Terraform gets the token (see {@link LaceworkTokenMode}).
   * @default 'data-source'
   */
  readonly mode?: LaceworkTokenMode;
  /**
   * The Lacework account: `acme`, `acme.lacework.net`, `acme.fra.lacework.net` or
   * `https://acme.lacework.net`. Give this or `baseUrl` (with the provider modes both may be
   * left out: `LW_ACCOUNT`, `LW_API_SERVER_URL` or the profile decide).
   */
  readonly account?: string;
  /**
   * The API base URL when it is not `https://<account>.lacework.net`: a proxy or the local
   * emulator (`http:` only for loopback hosts). Give this or `account`.
   */
  readonly baseUrl?: string;
  /**
   * The API key id (`ACME_0123…`). Only with `mode: 'http-data-source'`; the provider modes read
   * `LW_API_KEY` (or the profile, or `keyFile`) where Terraform runs.
   */
  readonly keyId?: string;
  /**
   * The API key secret (`_abc…`), sent as `X-LW-UAKS`. Only with `mode: 'http-data-source'`
   * (pass a sensitive variable); the provider modes read `LW_API_SECRET` (or the profile, or
   * `keyFile`) where Terraform runs, so the secret is never part of the stack.
   */
  readonly secret?: string;
  /**
   * Profile of `~/.lacework.toml` to read the key from (provider modes).
   * @default `LW_PROFILE`, else `default`, when the environment has no key
   */
  readonly profile?: string;
  /**
   * A key JSON file downloaded from the console, read where Terraform runs (provider modes).
   * @default none
   */
  readonly keyFile?: string;
  /**
   * Sub-account to act on: sent as `Account-Name` on the token request and in `apiHeaders`.
   * @default none
   */
  readonly subAccount?: string;
  /**
   * Organization-level access: `Org-Access: true` on the token request and in `apiHeaders`.
   * @default false
   */
  readonly orgAccess?: boolean;
  /**
   * Token lifetime in seconds, an integer from 1 to 86400. Terraform reads the data source once
   * per plan/apply, so the token must outlive the run that uses it.
   * @default 3600
   */
  readonly expiryTime?: number;
  /**
   * Retries of the token request, or `false` for none.
   * @default { limit: 3, backoffStart: 1000, backoffLimit: 10000 }
   */
  readonly retry?: LaceworkRetryConfig | false;
  /**
   * Timeout of one request attempt, in milliseconds (core's `timeout`).
   * @default 30000
   */
  readonly timeout?: number;
  /** @deprecated Use `timeout`. */
  readonly requestTimeoutMs?: number;
  /**
   * The `http` provider to use (e.g. an aliased one behind a proxy).
   * @default the stack's default `http` provider, added when the stack has none
   */
  readonly provider?: HttpProviderRef;
  /**
   * Resources or data sources the token request must wait for.
   * @default none
   */
  readonly dependsOn?: DependableRef[];
}

/** The config after validation and defaults (internal). */
export interface NormalizedConfig {
  readonly mode: LaceworkTokenMode;
  readonly account: string | undefined;
  readonly baseUrl: string | undefined;
  /** Set in http-data-source mode only. */
  readonly keyId: string | undefined;
  /** Set in http-data-source mode only. */
  readonly secret: string | undefined;
  readonly secretIsLiteral: boolean;
  readonly profile: string | undefined;
  readonly keyFile: string | undefined;
  readonly subAccount: string | undefined;
  readonly orgAccess: boolean;
  readonly expiryTime: number;
  readonly retry: { limit: number; backoffStart: number; backoffLimit: number } | undefined;
  readonly timeout: number;
  readonly provider: HttpProviderRef | undefined;
  readonly dependsOn: DependableRef[] | undefined;
}

/** Defaults for `retry`. */
export const DEFAULT_RETRY = { limit: 3, backoffStart: 1000, backoffLimit: 10_000 } as const;

/** Default for `timeout`, in ms. */
export const DEFAULT_TIMEOUT = 30_000;

/** @deprecated Use `DEFAULT_TIMEOUT`. */
export const DEFAULT_REQUEST_TIMEOUT_MS = DEFAULT_TIMEOUT;

const KNOWN_OPTIONS = [
  'mode',
  'account',
  'baseUrl',
  'keyId',
  'secret',
  'profile',
  'keyFile',
  'subAccount',
  'orgAccess',
  'expiryTime',
  'retry',
  'timeout',
  'requestTimeoutMs',
  'provider',
  'dependsOn',
] as const;

/** Options that only the `hashicorp/http` data source has. */
const HTTP_ONLY_OPTIONS = [
  'keyId',
  'secret',
  'retry',
  'timeout',
  'requestTimeoutMs',
  'provider',
] as const;
/** Options that only this package's provider reads. */
const PROVIDER_ONLY_OPTIONS = ['profile', 'keyFile'] as const;

const KNOWN_RETRY_OPTIONS = [
  'limit',
  'backoffStart',
  'backoffLimit',
  'attempts',
  'minDelayMs',
  'maxDelayMs',
] as const;

/** Deprecated spellings (documented in 0.1.0) and the names that replace them. */
const RETRY_ALIASES = [
  ['attempts', 'limit'],
  ['minDelayMs', 'backoffStart'],
  ['maxDelayMs', 'backoffLimit'],
] as const;

/**
 * Validates the config once, at construction (synth) time. Messages name the option and never
 * echo a string value (it may be the secret).
 */
export function normalizeConfig(lib: CdkLibrary, config: unknown): NormalizedConfig {
  if (config === null || typeof config !== 'object' || Array.isArray(config)) {
    throw new InvalidOptionError(
      `\`LaceworkAccessToken\` needs a config object ({ account, keyId, secret, ... }), got ${describe(config)}.`,
      { option: 'config' },
    );
  }
  const options = config as Record<string, unknown>;
  assertKnown(options, KNOWN_OPTIONS, 'LaceworkAccessToken');
  const isToken = (value: unknown) => lib.Token.isUnresolved(value);
  const mode = options.mode ?? 'data-source';
  if (!TOKEN_MODES.includes(mode as LaceworkTokenMode)) {
    throw new InvalidOptionError(
      `\`mode\` must be one of ${TOKEN_MODES.map((m) => `'${m}'`).join(', ')}, got ${describe(mode)}.`,
      { option: 'mode' },
    );
  }
  if (mode !== 'http-data-source') {
    return normalizeProviderMode(lib, options, mode as LaceworkTokenMode);
  }
  for (const name of PROVIDER_ONLY_OPTIONS) {
    if (options[name] !== undefined) {
      throw new InvalidOptionError(
        `\`${name}\` is read by the lacework-auth provider, which \`mode: 'http-data-source'\` does not use; remove it or use the default mode.`,
        { option: name },
      );
    }
  }

  const keyId = requiredString(
    lib,
    options.keyId,
    'keyId',
    'the API key id, e.g. `new LaceworkKeyVariables(this, "key").keyId`',
  );
  const secret = requiredString(
    lib,
    options.secret,
    'secret',
    'the API key secret, e.g. `new LaceworkKeyVariables(this, "key").secret` (set TF_VAR_lacework_secret)',
  );
  // Spaces around an account or base URL are trimmed, as core's resolveBaseUrl trims them.
  const account = optionalString(lib, options.account, 'account', { trim: true });
  const baseUrl = optionalString(lib, options.baseUrl, 'baseUrl', { trim: true });
  const subAccount = optionalString(lib, options.subAccount, 'subAccount');

  if (options.orgAccess !== undefined && typeof options.orgAccess !== 'boolean') {
    throw new InvalidOptionError(
      `\`orgAccess\` must be a boolean, got ${describe(options.orgAccess)}.`,
      { option: 'orgAccess' },
    );
  }

  const expiryTime =
    options.expiryTime === undefined
      ? DEFAULT_EXPIRY_TIME
      : isToken(options.expiryTime)
        ? (options.expiryTime as number)
        : validateExpiryTime(options.expiryTime, 'expiryTime');

  const timeoutName = aliased(options, 'requestTimeoutMs', 'timeout');
  const timeout =
    options[timeoutName] === undefined
      ? DEFAULT_TIMEOUT
      : integer(options[timeoutName], timeoutName, 1, 86_400_000);

  return {
    mode: 'http-data-source',
    account,
    baseUrl,
    keyId,
    secret,
    secretIsLiteral: !isToken(secret),
    profile: undefined,
    keyFile: undefined,
    subAccount,
    orgAccess: options.orgAccess === true,
    expiryTime,
    retry: normalizeRetry(options.retry),
    timeout,
    provider: normalizeProvider(options.provider),
    dependsOn: normalizeDependsOn(options.dependsOn),
  };
}

/** The `data-source` and `ephemeral` modes: no key in the stack, only where to find it. */
function normalizeProviderMode(
  lib: CdkLibrary,
  options: Record<string, unknown>,
  mode: LaceworkTokenMode,
): NormalizedConfig {
  for (const name of HTTP_ONLY_OPTIONS) {
    if (options[name] === undefined) continue;
    const why =
      name === 'keyId' || name === 'secret'
        ? ' The lacework-auth provider reads the key where Terraform runs (LW_API_KEY and LW_API_SECRET, a ~/.lacework.toml profile, or `keyFile`), so it never becomes part of the stack, its state or its plan files.'
        : '';
    throw new InvalidOptionError(
      `\`${name}\` applies only to \`mode: 'http-data-source'\`, not to \`mode: '${mode}'\`.${why}`,
      { option: name },
    );
  }
  if (options.orgAccess !== undefined && typeof options.orgAccess !== 'boolean') {
    throw new InvalidOptionError(
      `\`orgAccess\` must be a boolean, got ${describe(options.orgAccess)}.`,
      { option: 'orgAccess' },
    );
  }
  // Spaces around an account or base URL are trimmed, as core's resolveBaseUrl trims them.
  const account = optionalString(lib, options.account, 'account', { trim: true });
  const baseUrl = optionalString(lib, options.baseUrl, 'baseUrl', { trim: true });
  if (account !== undefined && baseUrl !== undefined) {
    throw new InvalidOptionError(
      'Set either `account` or `baseUrl`, not both: `account` ("acme") is for *.lacework.net, `baseUrl` for any other host (a proxy or the emulator).',
      { option: 'baseUrl' },
    );
  }
  return {
    mode,
    account,
    baseUrl,
    keyId: undefined,
    secret: undefined,
    secretIsLiteral: false,
    profile: optionalString(lib, options.profile, 'profile'),
    keyFile: optionalString(lib, options.keyFile, 'keyFile'),
    subAccount: optionalString(lib, options.subAccount, 'subAccount'),
    orgAccess: options.orgAccess === true,
    expiryTime:
      options.expiryTime === undefined
        ? DEFAULT_EXPIRY_TIME
        : lib.Token.isUnresolved(options.expiryTime)
          ? (options.expiryTime as number)
          : validateExpiryTime(options.expiryTime, 'expiryTime'),
    retry: undefined,
    timeout: DEFAULT_TIMEOUT,
    provider: undefined,
    dependsOn: normalizeDependsOn(options.dependsOn),
  };
}

function normalizeRetry(value: unknown): NormalizedConfig['retry'] {
  if (value === false) return undefined;
  if (value === undefined) return { ...DEFAULT_RETRY };
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new InvalidOptionError(
      `\`retry\` must be an object ({ limit, backoffStart, backoffLimit }) or false, got ${describe(value)}.`,
      { option: 'retry' },
    );
  }
  const retry = value as Record<string, unknown>;
  assertKnown(retry, KNOWN_RETRY_OPTIONS, 'retry');
  const [limitName, startName, maxName] = RETRY_ALIASES.map(([old, name]) =>
    aliased(retry, old, name, 'retry.'),
  ) as [string, string, string];
  const limit =
    retry[limitName] === undefined
      ? DEFAULT_RETRY.limit
      : integer(retry[limitName], `retry.${limitName}`, 0, 10);
  const backoffStart =
    retry[startName] === undefined
      ? DEFAULT_RETRY.backoffStart
      : integer(retry[startName], `retry.${startName}`, 0, 600_000);
  const backoffLimit =
    retry[maxName] === undefined
      ? Math.max(DEFAULT_RETRY.backoffLimit, backoffStart)
      : integer(retry[maxName], `retry.${maxName}`, 0, 600_000);
  if (backoffLimit < backoffStart) {
    throw new InvalidOptionError(
      `\`retry.${maxName}\` (${backoffLimit}) must be at least \`retry.${startName}\` (${backoffStart}); the http provider rejects it otherwise.`,
      { option: `retry.${maxName}` },
    );
  }
  return { limit, backoffStart, backoffLimit };
}

/**
 * Which of a deprecated option and its new name was given (the new one when neither): giving
 * both is refused, since they could disagree.
 */
function aliased(options: Record<string, unknown>, old: string, name: string, prefix = ''): string {
  if (options[old] === undefined) return name;
  if (options[name] !== undefined) {
    throw new InvalidOptionError(
      `\`${prefix}${old}\` is the deprecated name of \`${prefix}${name}\`; give only \`${prefix}${name}\`.`,
      { option: `${prefix}${old}` },
    );
  }
  return old;
}

function normalizeProvider(value: unknown): HttpProviderRef | undefined {
  if (value === undefined) return undefined;
  const provider = value as Partial<HttpProviderRef> | null;
  if (provider === null || typeof provider !== 'object' || typeof provider.fqn !== 'string') {
    throw new InvalidOptionError(
      `\`provider\` must be a TerraformProvider, got ${describe(value)}.`,
      { option: 'provider' },
    );
  }
  if (provider.terraformResourceType !== 'http') {
    throw new InvalidOptionError(
      `\`provider\` must be an \`http\` provider (hashicorp/http), got a \`${String(provider.terraformResourceType)}\` provider.`,
      { option: 'provider' },
    );
  }
  return provider as HttpProviderRef;
}

function normalizeDependsOn(value: unknown): DependableRef[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || !value.every((item) => typeof item?.fqn === 'string')) {
    throw new InvalidOptionError(
      '`dependsOn` must be an array of resources, data sources or modules (objects with an `fqn`).',
      { option: 'dependsOn' },
    );
  }
  return value as DependableRef[];
}

function requiredString(lib: CdkLibrary, value: unknown, name: string, what: string): string {
  if (value === undefined || value === null || value === '') {
    throw new InvalidOptionError(`\`${name}\` is required: pass ${what}.`, { option: name });
  }
  return checkString(lib, value, name) as string;
}

function optionalString(
  lib: CdkLibrary,
  value: unknown,
  name: string,
  { trim = false } = {},
): string | undefined {
  if (value === undefined) return undefined;
  if (value === '')
    throw new InvalidOptionError(`\`${name}\` must not be empty; leave it out instead.`, {
      option: name,
    });
  return checkString(lib, value, name, trim);
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: CR/LF would corrupt HTTP headers
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;

function checkString(
  lib: CdkLibrary,
  value: unknown,
  name: string,
  trim = false,
): string | undefined {
  if (typeof value !== 'string') {
    throw new InvalidOptionError(
      `\`${name}\` must be a string or a Terraform token (e.g. a variable's \`stringValue\`), got ${describe(value)}.`,
      { option: name },
    );
  }
  if (lib.Token.isUnresolved(value)) return value;
  if (CONTROL_CHARS.test(value)) {
    throw new InvalidOptionError(
      `\`${name}\` contains a control character (CR, LF, tab, ...), which would corrupt the HTTP request; copy the value again without line breaks.`,
      { option: name },
    );
  }
  if (trim) return value.trim();
  if (value.trim() !== value) {
    throw new InvalidOptionError(`\`${name}\` has leading or trailing spaces; remove them.`, {
      option: name,
    });
  }
  return value;
}

function integer(value: unknown, name: string, min: number, max: number): number {
  if (min === 0) return validateCount(value, name, max) as number;
  return validateInteger(value, name, { min, max, unit: 'ms' }) as number;
}

function assertKnown(
  options: Record<string, unknown>,
  known: readonly string[],
  what: string,
): void {
  assertKnownOptions(options, known, what);
}
