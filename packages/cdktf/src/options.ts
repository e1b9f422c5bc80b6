import { DEFAULT_EXPIRY_TIME, InvalidOptionError, validateExpiryTime } from '@lacework-auth/core';
import type { CdkLibrary } from './library.js';

/** Retries of the token request, done by the `hashicorp/http` provider (go-retryablehttp). */
export interface LaceworkRetryConfig {
  /**
   * Retries after the first attempt. The provider retries connection errors, 429 and 5xx
   * (except 501), never other 4xx such as a rejected key.
   * @default 3
   */
  readonly attempts?: number;
  /** @default 1000 */
  readonly minDelayMs?: number;
  /** @default 10000 */
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
 * Configuration of `LaceworkAccessToken`. Every string may be a literal or a Terraform token
 * (a `TerraformVariable`'s `stringValue`, a `TerraformLocal`, ...). Use tokens for the secret:
 * literals end up in plain text in `cdktf.out`.
 */
export interface LaceworkAccessTokenConfig {
  /**
   * The Lacework account: `acme`, `acme.lacework.net`, `acme.fra.lacework.net` or
   * `https://acme.lacework.net`. Give this or `baseUrl`.
   */
  readonly account?: string;
  /**
   * The API base URL when it is not `https://<account>.lacework.net`: a proxy or the local
   * emulator (`http:` only for loopback hosts). Give this or `account`.
   */
  readonly baseUrl?: string;
  /** The API key id (`ACME_0123…`). */
  readonly keyId: string;
  /** The API key secret (`_abc…`), sent as `X-LW-UAKS`. Pass a sensitive variable. */
  readonly secret: string;
  /**
   * Sub-account to act on: sent as `Account-Name` on the token request and in `apiHeaders`.
   * @default none
   */
  readonly subAccount?: string;
  /**
   * Adds `Org-Access: true` to `apiHeaders` (organization-level API calls).
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
   * @default { attempts: 3, minDelayMs: 1000, maxDelayMs: 10000 }
   */
  readonly retry?: LaceworkRetryConfig | false;
  /**
   * Timeout of one request attempt, in milliseconds.
   * @default 30000
   */
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
  readonly account: string | undefined;
  readonly baseUrl: string | undefined;
  readonly keyId: string;
  readonly secret: string;
  readonly secretIsLiteral: boolean;
  readonly subAccount: string | undefined;
  readonly orgAccess: boolean;
  readonly expiryTime: number;
  readonly retry: { attempts: number; minDelayMs: number; maxDelayMs: number } | undefined;
  readonly requestTimeoutMs: number;
  readonly provider: HttpProviderRef | undefined;
  readonly dependsOn: DependableRef[] | undefined;
}

/** Defaults for `retry`. */
export const DEFAULT_RETRY = { attempts: 3, minDelayMs: 1000, maxDelayMs: 10_000 } as const;

/** Default for `requestTimeoutMs`. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

const KNOWN_OPTIONS = [
  'account',
  'baseUrl',
  'keyId',
  'secret',
  'subAccount',
  'orgAccess',
  'expiryTime',
  'retry',
  'requestTimeoutMs',
  'provider',
  'dependsOn',
] as const;

const KNOWN_RETRY_OPTIONS = ['attempts', 'minDelayMs', 'maxDelayMs'] as const;

/**
 * Validates the config once, at construction (synth) time. Messages name the option and never
 * echo a string value (it may be the secret).
 */
export function normalizeConfig(lib: CdkLibrary, config: unknown): NormalizedConfig {
  if (config === null || typeof config !== 'object' || Array.isArray(config)) {
    throw new InvalidOptionError(
      `\`LaceworkAccessToken\` needs a config object ({ account, keyId, secret, ... }), got ${describe(config)}.`,
    );
  }
  const options = config as Record<string, unknown>;
  assertKnown(options, KNOWN_OPTIONS, 'LaceworkAccessToken');
  const isToken = (value: unknown) => lib.Token.isUnresolved(value);

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
  const account = optionalString(lib, options.account, 'account');
  const baseUrl = optionalString(lib, options.baseUrl, 'baseUrl');
  const subAccount = optionalString(lib, options.subAccount, 'subAccount');

  if (options.orgAccess !== undefined && typeof options.orgAccess !== 'boolean') {
    throw new InvalidOptionError(
      `\`orgAccess\` must be a boolean, got ${describe(options.orgAccess)}.`,
    );
  }

  const expiryTime =
    options.expiryTime === undefined
      ? DEFAULT_EXPIRY_TIME
      : isToken(options.expiryTime)
        ? (options.expiryTime as number)
        : validateExpiryTime(options.expiryTime, 'expiryTime');

  const requestTimeoutMs =
    options.requestTimeoutMs === undefined
      ? DEFAULT_REQUEST_TIMEOUT_MS
      : integer(options.requestTimeoutMs, 'requestTimeoutMs', 1, 86_400_000);

  return {
    account,
    baseUrl,
    keyId,
    secret,
    secretIsLiteral: !isToken(secret),
    subAccount,
    orgAccess: options.orgAccess === true,
    expiryTime,
    retry: normalizeRetry(options.retry),
    requestTimeoutMs,
    provider: normalizeProvider(options.provider),
    dependsOn: normalizeDependsOn(options.dependsOn),
  };
}

function normalizeRetry(value: unknown): NormalizedConfig['retry'] {
  if (value === false) return undefined;
  if (value === undefined) return { ...DEFAULT_RETRY };
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new InvalidOptionError(
      `\`retry\` must be an object ({ attempts, minDelayMs, maxDelayMs }) or false, got ${describe(value)}.`,
    );
  }
  const retry = value as Record<string, unknown>;
  assertKnown(retry, KNOWN_RETRY_OPTIONS, 'retry');
  const attempts =
    retry.attempts === undefined
      ? DEFAULT_RETRY.attempts
      : integer(retry.attempts, 'retry.attempts', 0, 10);
  const minDelayMs =
    retry.minDelayMs === undefined
      ? DEFAULT_RETRY.minDelayMs
      : integer(retry.minDelayMs, 'retry.minDelayMs', 0, 600_000);
  const maxDelayMs =
    retry.maxDelayMs === undefined
      ? Math.max(DEFAULT_RETRY.maxDelayMs, minDelayMs)
      : integer(retry.maxDelayMs, 'retry.maxDelayMs', 0, 600_000);
  if (maxDelayMs < minDelayMs) {
    throw new InvalidOptionError(
      `\`retry.maxDelayMs\` (${maxDelayMs}) must be at least \`retry.minDelayMs\` (${minDelayMs}); the http provider rejects it otherwise.`,
    );
  }
  return { attempts, minDelayMs, maxDelayMs };
}

function normalizeProvider(value: unknown): HttpProviderRef | undefined {
  if (value === undefined) return undefined;
  const provider = value as Partial<HttpProviderRef> | null;
  if (provider === null || typeof provider !== 'object' || typeof provider.fqn !== 'string') {
    throw new InvalidOptionError(
      `\`provider\` must be a TerraformProvider, got ${describe(value)}.`,
    );
  }
  if (provider.terraformResourceType !== 'http') {
    throw new InvalidOptionError(
      `\`provider\` must be an \`http\` provider (hashicorp/http), got a \`${String(provider.terraformResourceType)}\` provider.`,
    );
  }
  return provider as HttpProviderRef;
}

function normalizeDependsOn(value: unknown): DependableRef[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || !value.every((item) => typeof item?.fqn === 'string')) {
    throw new InvalidOptionError(
      '`dependsOn` must be an array of resources, data sources or modules (objects with an `fqn`).',
    );
  }
  return value as DependableRef[];
}

function requiredString(lib: CdkLibrary, value: unknown, name: string, what: string): string {
  if (value === undefined || value === null || value === '') {
    throw new InvalidOptionError(`\`${name}\` is required: pass ${what}.`);
  }
  return checkString(lib, value, name) as string;
}

function optionalString(lib: CdkLibrary, value: unknown, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (value === '')
    throw new InvalidOptionError(`\`${name}\` must not be empty; leave it out instead.`);
  return checkString(lib, value, name);
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: CR/LF would corrupt HTTP headers
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;

function checkString(lib: CdkLibrary, value: unknown, name: string): string | undefined {
  if (typeof value !== 'string') {
    throw new InvalidOptionError(
      `\`${name}\` must be a string or a Terraform token (e.g. a variable's \`stringValue\`), got ${describe(value)}.`,
    );
  }
  if (lib.Token.isUnresolved(value)) return value;
  if (CONTROL_CHARS.test(value)) {
    throw new InvalidOptionError(
      `\`${name}\` contains a control character (CR, LF, tab, ...), which would corrupt the HTTP request; copy the value again without line breaks.`,
    );
  }
  if (value.trim() !== value) {
    throw new InvalidOptionError(`\`${name}\` has leading or trailing spaces; remove them.`);
  }
  return value;
}

function integer(value: unknown, name: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new InvalidOptionError(
      `\`${name}\` must be an integer from ${min} to ${max}, got ${describe(value)}.`,
    );
  }
  return value;
}

function assertKnown(
  options: Record<string, unknown>,
  known: readonly string[],
  what: string,
): void {
  for (const key of Object.keys(options)) {
    if (known.includes(key)) continue;
    const close = known.find((name) => name.toLowerCase() === key.toLowerCase());
    const shown = key.length > 40 ? `${key.slice(0, 40)}…` : key;
    throw new InvalidOptionError(
      `\`${what}\` got an unknown option \`${shown}\`.${close ? ` Did you mean \`${close}\`?` : ` Known options: ${known.join(', ')}.`}`,
    );
  }
}

/** Describes a value for an error message without echoing strings (they may be secrets). */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return value === '' ? 'an empty string' : 'a string';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return `a ${typeof value}`;
}
