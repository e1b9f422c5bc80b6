import { budgetFor } from '../budget/provider-budget.js';
import type { RateBudget, RateBudgetOptions } from '../budget/rate-budget.js';
import {
  type Credentials,
  RESOLVE_CREDENTIALS_OPTIONS,
  type ResolveCredentialsOptions,
  type ResolvedCredentials,
  resolveCredentialsSync,
} from '../credentials/resolve.js';
import { resolveBaseUrl } from '../protocol/base-url.js';
import { DEFAULT_EXPIRY_TIME } from '../protocol/constants.js';
import { InvalidOptionError, isLaceworkAuthError } from '../protocol/errors.js';
import { SAFE_INPUT, showInput } from '../protocol/redact.js';
import { refreshWindowMs } from '../protocol/refresh.js';
import { describe, validateExpiryTime, validateHeaderValue } from '../protocol/validate.js';
import type { TokenStore } from '../stores/types.js';
import { assertKnownOptions, assertOptionsObject, validateMs } from '../toolkit/options.js';
import { normalizeRetry, type RetryOptions, type RetryPolicy } from '../toolkit/retry-options.js';
import { defaultWarningHandler, type WarningHandler } from '../toolkit/warnings.js';

/** Options for `createTokenProvider`. All optional; credentials are resolved like the CLI. */
export interface TokenProviderOptions extends ResolveCredentialsOptions {
  /**
   * The key, instead of resolving it from options/env/profile: an object, or a function called
   * before every exchange (key rotation without restarts), and on every `getToken()` while a
   * failed exchange's backoff lasts without a valid token (to try a rotated key at once): keep it
   * cheap. With a function, give `account` or `baseUrl` (and `subAccount`/`orgAccess`) as options.
   */
  credentials?: Credentials | (() => Credentials | Promise<Credentials>) | undefined;
  /**
   * Token lifetime requested from Lacework, in seconds (integer 1..86400).
   * @default 3600
   */
  expiryTime?: number | undefined;
  /**
   * How long before expiry to refresh, in ms, or a function of the token lifetime (ms). Capped at
   * half the lifetime.
   * @default refreshWindowMs (10 % of the lifetime, 1 s..5 min)
   */
  refreshWindow?: number | ((lifetimeMs: number) => number) | undefined;
  /** Where tokens are cached beyond this provider (`memoryStore()`, `fileStore()`, your own). */
  store?: TokenStore | undefined;
  /**
   * Timeout of one exchange attempt, in ms, reading the response body included.
   * @default 30000
   */
  timeout?: number | undefined;
  /**
   * Retries of the exchange on 429 (honouring `Retry-After`), 5xx and network errors.
   * @default { limit: 2, maxRetryAfter: 30000, backoffLimit: 5000 }
   */
  retry?: number | RetryOptions | undefined;
  /** `fetch` implementation used for the exchange. @default globalThis.fetch */
  fetch?: typeof fetch | undefined;
  /**
   * The key's rate budget, shared by token exchanges and every API call made with this provider's
   * tokens (`createLaceworkClient`, the Express proxy): options, a budget from
   * `createRateBudget()`, or `false` for none. Calls beyond it wait instead of meeting a 429.
   * @default { limit: 480, windowMs: 3600000 }, shared by every provider of the key in the process
   */
  budget?: RateBudgetOptions | RateBudget | false | undefined;
}

const PROVIDER_OPTIONS = [
  ...RESOLVE_CREDENTIALS_OPTIONS,
  'credentials',
  'expiryTime',
  'refreshWindow',
  'store',
  'timeout',
  'retry',
  'fetch',
  'budget',
] as const;

/** {@link TokenProviderOptions} validated, with every default applied. */
export interface ProviderConfig {
  baseUrl: string;
  subAccount: string | undefined;
  orgAccess: boolean | undefined;
  expiryTime: number;
  timeout: number;
  retry: RetryPolicy;
  fetch: typeof fetch | undefined;
  store: TokenStore | undefined;
  windowFor: (lifetimeMs: number) => number;
  onWarning: WarningHandler;
  /** The key's rate budget, if any. */
  budget: RateBudget | undefined;
  /** The key for the next exchange (called before each one: key rotation). */
  loadCredentials: () => Promise<ResolvedCredentials>;
}

/**
 * Validates `createTokenProvider` options once, synchronously, and fills in defaults.
 *
 * @throws {LaceworkAuthError} `ERR_LW_INVALID_OPTION`, `ERR_LW_MISSING_CREDENTIALS`,
 *   `ERR_LW_INVALID_BASE_URL`
 */
export function normalizeProviderOptions(input: TokenProviderOptions | undefined): ProviderConfig {
  const options = assertOptionsObject(input, 'createTokenProvider') as TokenProviderOptions;
  assertKnownOptions(options, PROVIDER_OPTIONS, 'createTokenProvider');
  const expiryTime =
    options.expiryTime === undefined
      ? DEFAULT_EXPIRY_TIME
      : validateExpiryTime(options.expiryTime, 'expiryTime');
  const timeout = validateMs(options.timeout, 'timeout', { min: 1 }) ?? 30_000;
  const retry = normalizeRetry(options.retry);
  if (options.fetch !== undefined && typeof options.fetch !== 'function') {
    throw new InvalidOptionError(`\`fetch\` must be a function, got ${describe(options.fetch)}.`, {
      option: 'fetch',
    });
  }
  if (options.onWarning !== undefined && typeof options.onWarning !== 'function') {
    throw new InvalidOptionError(
      `\`onWarning\` must be a function, got ${describe(options.onWarning)}.`,
      { option: 'onWarning' },
    );
  }
  const onWarning = options.onWarning ?? defaultWarningHandler;
  const store = validateStore(options.store);
  const windowFor = normalizeWindow(options.refreshWindow);
  const { fixed, loadCredentials } = keySource(options);
  return {
    baseUrl: fixed.baseUrl,
    subAccount: fixed.subAccount,
    orgAccess: fixed.orgAccess,
    expiryTime,
    timeout,
    retry,
    fetch: options.fetch,
    store,
    windowFor,
    onWarning,
    budget: budgetFor(options.budget, fixed, onWarning),
    loadCredentials,
  };
}

interface KeySource {
  /** Base URL, sub-account and org access: fixed for the provider's lifetime. */
  fixed: Pick<ResolvedCredentials, 'baseUrl' | 'subAccount' | 'orgAccess' | 'keyId'>;
  loadCredentials: () => Promise<ResolvedCredentials>;
}

/** Where the key comes from: resolved once (options, env, profile, key file) or a function. */
function keySource(options: TokenProviderOptions): KeySource {
  if (options.credentials === undefined) {
    return constantKey(resolveCredentialsSync(pickResolveOptions(options)));
  }
  for (const field of ['keyId', 'secret', 'profile', 'configFile', 'keyFile'] as const) {
    if (options[field] !== undefined) {
      throw new InvalidOptionError(
        `\`credentials\` and \`${field}\` contradict each other: pass the key one way only.`,
        { option: field },
      );
    }
  }
  const credentials = options.credentials;
  if (typeof credentials === 'function') return rotatingKey(credentials, options);
  if (credentials === null || typeof credentials !== 'object') {
    throw new InvalidOptionError(
      `\`credentials\` must be { keyId, secret, account? } or a function returning it, got ${describe(credentials)}.`,
      { option: 'credentials' },
    );
  }
  return constantKey(
    resolveCredentialsSync({
      account: credentials.account ?? options.account,
      baseUrl: credentials.baseUrl ?? options.baseUrl,
      keyId: credentials.keyId,
      secret: credentials.secret,
      subAccount: credentials.subAccount ?? options.subAccount,
      orgAccess: credentials.orgAccess ?? options.orgAccess,
      env: {},
    }),
  );
}

function constantKey(resolved: ResolvedCredentials): KeySource {
  return { fixed: resolved, loadCredentials: async () => resolved };
}

function rotatingKey(
  credentials: () => Credentials | Promise<Credentials>,
  options: TokenProviderOptions,
): KeySource {
  if ((options.baseUrl ?? options.account) === undefined) {
    throw new InvalidOptionError(
      '`account` or `baseUrl` is required when `credentials` is a function (the base URL must be known before the first exchange).',
      { option: 'account' },
    );
  }
  const fixed = resolveCredentialsSync({
    account: options.account,
    baseUrl: options.baseUrl,
    subAccount: options.subAccount,
    orgAccess: options.orgAccess,
    keyId: 'placeholder',
    secret: 'placeholder',
    env: {},
  });
  return {
    fixed,
    loadCredentials: async () => {
      let value: Credentials;
      try {
        value = await credentials();
      } catch (error) {
        if (isLaceworkAuthError(error)) throw error;
        throw new InvalidOptionError(
          `The \`credentials\` function failed (${(error as Error)?.name ?? 'error'}). It must return { keyId, secret }.`,
          { option: 'credentials' },
        );
      }
      return checkRotated(value, fixed);
    },
  };
}

function checkRotated(value: Credentials, fixed: ResolvedCredentials): ResolvedCredentials {
  if (value === null || typeof value !== 'object') {
    throw new InvalidOptionError(
      `The \`credentials\` function must return { keyId, secret }, got ${describe(value)}.`,
      { option: 'credentials' },
    );
  }
  const keyId = validateHeaderValue(value.keyId, 'keyId', 'from the `credentials` function');
  const secret = validateHeaderValue(value.secret, 'secret', 'from the `credentials` function');
  if (value.account !== undefined || value.baseUrl !== undefined) {
    const url =
      value.baseUrl !== undefined
        ? resolveBaseUrl(value.baseUrl, {
            allowAnyHost: true,
            setting: '`baseUrl` from the `credentials` function',
          })
        : resolveBaseUrl(value.account as string, {
            setting: '`account` from the `credentials` function',
          });
    if (url !== fixed.baseUrl) {
      throw new InvalidOptionError(
        `The \`credentials\` function returned a key for ${showInput(url, SAFE_INPUT.host)}, but this provider is for ${showInput(fixed.baseUrl, SAFE_INPUT.host)}. Create one provider per account.`,
        { option: 'credentials' },
      );
    }
  }
  for (const field of ['subAccount', 'orgAccess'] as const) {
    if (value[field] !== undefined && value[field] !== fixed[field]) {
      throw new InvalidOptionError(
        `The \`credentials\` function returned \`${field}\` different from the provider's; set \`${field}\` as a provider option instead.`,
        { option: field },
      );
    }
  }
  return { ...fixed, keyId, secret };
}

function pickResolveOptions(options: TokenProviderOptions): ResolveCredentialsOptions {
  const picked: ResolveCredentialsOptions = {};
  for (const name of RESOLVE_CREDENTIALS_OPTIONS) {
    if (options[name] !== undefined) (picked as Record<string, unknown>)[name] = options[name];
  }
  return picked;
}

function validateStore(store: unknown): TokenStore | undefined {
  if (store === undefined) return undefined;
  const candidate = store as Partial<TokenStore> | null;
  if (
    candidate === null ||
    typeof candidate !== 'object' ||
    typeof candidate.get !== 'function' ||
    typeof candidate.set !== 'function' ||
    typeof candidate.delete !== 'function'
  ) {
    throw new InvalidOptionError(
      `\`store\` must have get, set and delete methods (see memoryStore, fileStore), got ${describe(store)}.`,
      { option: 'store' },
    );
  }
  return candidate as TokenStore;
}

function normalizeWindow(value: unknown): (lifetimeMs: number) => number {
  if (value === undefined) return refreshWindowMs;
  if (typeof value === 'function') {
    return (lifetimeMs) => {
      const result = Number((value as (ms: number) => number)(lifetimeMs));
      return Number.isFinite(result) && result >= 0 ? result : refreshWindowMs(lifetimeMs);
    };
  }
  const ms = validateMs(value, 'refreshWindow');
  return () => ms as number;
}
