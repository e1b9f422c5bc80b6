import { createHash } from 'node:crypto';
import { resolveBaseUrl } from './base-url.js';
import { DEFAULT_EXPIRY_TIME, refreshWindowMs } from './constants.js';
import {
  type Credentials,
  RESOLVE_CREDENTIALS_OPTIONS,
  type ResolveCredentialsOptions,
  type ResolvedCredentials,
  resolveCredentialsSync,
} from './credentials.js';
import { InvalidOptionError, isLaceworkAuthError } from './errors.js';
import { type AccessToken, exchangeKey } from './exchange.js';
import { defaultWarningHandler, type WarningHandler } from './permissions.js';
import { normalizeRetry, type RetryOptions, type RetryPolicy } from './retry-policy.js';
import type { StoredToken, TokenStore } from './stores/types.js';
import { type CachedToken, TokenCache } from './token-cache.js';
import {
  assertKnownOptions,
  assertOptionsObject,
  describe,
  validateBoolean,
  validateExpiryTime,
  validateHeaderValue,
  validateMs,
} from './validate.js';

export type { AccessToken } from './exchange.js';

/** Options of {@link TokenProvider.getToken}. */
export interface GetTokenOptions {
  /**
   * Skip the cached token and exchange the key again (unless the store already holds a newer
   * token, written by another process). Use after the API rejected the token.
   * @default false
   */
  forceRefresh?: boolean;
}

/** Hands out a valid bearer token, exchanging and refreshing as needed. */
export interface TokenProvider {
  /** A token valid for at least a moment longer; refreshed ahead of expiry. */
  getToken(options?: GetTokenOptions): Promise<AccessToken>;
  /** Forgets the cached token (memory and store); the next `getToken` exchanges again. */
  invalidate(): Promise<void>;
  /** API base URL, e.g. `https://acme.lacework.net`. */
  readonly baseUrl: string;
  /** Sub-account sent as `Account-Name`, if any. */
  readonly subAccount?: string | undefined;
  /** Whether requests carry `Org-Access: true`. */
  readonly orgAccess?: boolean | undefined;
}

/** Options for {@link createTokenProvider}. All optional; credentials are resolved like the CLI. */
export interface TokenProviderOptions extends ResolveCredentialsOptions {
  /**
   * The key, instead of resolving it from options/env/profile: an object, or a function called
   * before every exchange (key rotation without restarts). With a function, give `account` or
   * `baseUrl` (and `subAccount`/`orgAccess`) as options.
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
   * Timeout of one exchange attempt, in ms.
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
] as const;

interface ProviderConfig {
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
  loadCredentials: () => Promise<ResolvedCredentials>;
}

/**
 * Creates a token provider: exchanges the API key for a bearer token, caches it (in memory and in
 * an optional `store`), shares one exchange between concurrent callers, refreshes ahead of expiry,
 * and keeps serving a still-valid token while a refresh fails. Options are validated here,
 * synchronously, before any request.
 *
 * @throws {LaceworkAuthError} `ERR_LW_INVALID_OPTION`, `ERR_LW_MISSING_CREDENTIALS`,
 *   `ERR_LW_INVALID_BASE_URL`
 * @example
 * ```ts
 * const provider = createTokenProvider({ account: 'acme', keyId, secret, store: fileStore() });
 * const { token, expiresAt } = await provider.getToken();
 * ```
 */
export function createTokenProvider(options?: TokenProviderOptions): TokenProvider {
  const config = normalizeOptions(options);
  const { store } = config;
  let lastKey: string | undefined;

  // Tokens under one cache key were all requested with this lifetime; it sizes their window.
  const lifetimeMs = config.expiryTime * 1000;

  const readStore = async (
    key: string,
    exclude: string | undefined,
  ): Promise<CachedToken | undefined> => {
    if (!store) return undefined;
    let stored: StoredToken | undefined | null;
    try {
      stored = await store.get(key);
    } catch (error) {
      warnStore(config.onWarning, 'read', error);
      return undefined;
    }
    if (!stored || typeof stored.token !== 'string' || typeof stored.expiresAt !== 'number') {
      return undefined;
    }
    if (stored.token === exclude) return undefined;
    const candidate: CachedToken = { token: stored.token, expiresAt: stored.expiresAt, lifetimeMs };
    // A stored token already inside its refresh window is not worth adopting: exchange instead.
    return Date.now() < cache.refreshAt(candidate) ? candidate : undefined;
  };

  const cache: TokenCache = new TokenCache(async ({ force, previous }): Promise<CachedToken> => {
    const credentials = await config.loadCredentials();
    const key = cacheKey(credentials, config.expiryTime);
    lastKey = key;
    const exclude = force ? previous?.token : undefined;
    if (!force || exclude !== undefined) {
      const stored = await readStore(key, exclude);
      if (stored) return stored;
    }
    const exchange = async (): Promise<CachedToken> => {
      // Another process may have finished an exchange while we waited for the lock.
      if (!force || exclude !== undefined) {
        const stored = await readStore(key, exclude);
        if (stored) return stored;
      }
      const result = await exchangeKey({
        baseUrl: credentials.baseUrl,
        keyId: credentials.keyId,
        secret: credentials.secret,
        subAccount: credentials.subAccount,
        orgAccess: credentials.orgAccess,
        expiryTime: config.expiryTime,
        timeout: config.timeout,
        retry: config.retry,
        fetch: config.fetch,
      });
      const token: CachedToken = {
        token: result.token,
        expiresAt: result.expiresAt.getTime(),
        lifetimeMs: Math.max(1, result.expiresAt.getTime() - result.requestedAt),
      };
      if (store) {
        try {
          await store.set(key, { token: token.token, expiresAt: token.expiresAt });
        } catch (error) {
          warnStore(config.onWarning, 'write', error);
        }
      }
      return token;
    };
    return store?.withLock ? store.withLock(key, exchange) : exchange();
  }, config.windowFor);

  return {
    async getToken(getOptions?: GetTokenOptions) {
      if (getOptions !== undefined && (getOptions === null || typeof getOptions !== 'object')) {
        throw new InvalidOptionError(
          `\`getToken\` options must be an object, got ${describe(getOptions)}.`,
        );
      }
      const forceRefresh = validateBoolean(getOptions?.forceRefresh, 'forceRefresh') === true;
      const token = await cache.get(forceRefresh);
      return { token: token.token, expiresAt: new Date(token.expiresAt) };
    },
    async invalidate() {
      cache.clear();
      if (store && lastKey !== undefined) {
        try {
          await store.delete(lastKey);
        } catch (error) {
          warnStore(config.onWarning, 'delete', error);
        }
      }
    },
    baseUrl: config.baseUrl,
    subAccount: config.subAccount,
    orgAccess: config.orgAccess,
  };
}

/**
 * The store key for a key + settings: a SHA-256 over base URL, keyId, sub-account, org access,
 * expiry time and a hash of the secret. It never contains the secret; hashing the secret in keeps a
 * wrong secret from being answered with a token cached for the right one.
 */
export function cacheKey(credentials: ResolvedCredentials, expiryTime: number): string {
  const secretHash = createHash('sha256').update(credentials.secret).digest('hex');
  const material = JSON.stringify([
    'lacework-auth/v1',
    credentials.baseUrl,
    credentials.keyId,
    credentials.subAccount ?? '',
    credentials.orgAccess === true,
    expiryTime,
    secretHash,
  ]);
  return `lw-${createHash('sha256').update(material).digest('hex')}`;
}

function warnStore(onWarning: WarningHandler, action: string, error: unknown) {
  const reason = isLaceworkAuthError(error) ? error.code : ((error as Error)?.name ?? 'error');
  const code = (error as { code?: unknown })?.code;
  onWarning(
    `lacework-auth: could not ${action} the token store (${typeof code === 'string' ? code : reason}); continuing without it.`,
  );
}

function normalizeOptions(input: TokenProviderOptions | undefined): ProviderConfig {
  const options = assertOptionsObject(input, 'createTokenProvider') as TokenProviderOptions;
  assertKnownOptions(options, PROVIDER_OPTIONS, 'createTokenProvider');
  const expiryTime =
    options.expiryTime === undefined
      ? DEFAULT_EXPIRY_TIME
      : validateExpiryTime(options.expiryTime, 'expiryTime');
  const timeout = validateMs(options.timeout, 'timeout', { min: 1 }) ?? 30_000;
  const retry = normalizeRetry(options.retry);
  if (options.fetch !== undefined && typeof options.fetch !== 'function') {
    throw new InvalidOptionError(`\`fetch\` must be a function, got ${describe(options.fetch)}.`);
  }
  if (options.onWarning !== undefined && typeof options.onWarning !== 'function') {
    throw new InvalidOptionError(
      `\`onWarning\` must be a function, got ${describe(options.onWarning)}.`,
    );
  }
  const onWarning = options.onWarning ?? defaultWarningHandler;
  const store = validateStore(options.store);
  const windowFor = normalizeWindow(options.refreshWindow);

  if (options.credentials === undefined) {
    const resolved = resolveCredentialsSync(pickResolveOptions(options));
    return {
      baseUrl: resolved.baseUrl,
      subAccount: resolved.subAccount,
      orgAccess: resolved.orgAccess,
      expiryTime,
      timeout,
      retry,
      fetch: options.fetch,
      store,
      windowFor,
      onWarning,
      loadCredentials: async () => resolved,
    };
  }

  for (const field of ['keyId', 'secret', 'profile', 'configFile', 'keyFile'] as const) {
    if (options[field] !== undefined) {
      throw new InvalidOptionError(
        `\`credentials\` and \`${field}\` contradict each other: pass the key one way only.`,
      );
    }
  }
  const credentials = options.credentials;
  if (typeof credentials === 'function') {
    const accountOrUrl = options.baseUrl ?? options.account;
    if (accountOrUrl === undefined) {
      throw new InvalidOptionError(
        '`account` or `baseUrl` is required when `credentials` is a function (the base URL must be known before the first exchange).',
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
      loadCredentials: async () => {
        let value: Credentials;
        try {
          value = await credentials();
        } catch (error) {
          if (isLaceworkAuthError(error)) throw error;
          throw new InvalidOptionError(
            `The \`credentials\` function failed (${(error as Error)?.name ?? 'error'}). It must return { keyId, secret }.`,
          );
        }
        return checkRotated(value, fixed);
      },
    };
  }
  if (credentials === null || typeof credentials !== 'object') {
    throw new InvalidOptionError(
      `\`credentials\` must be { keyId, secret, account? } or a function returning it, got ${describe(credentials)}.`,
    );
  }
  const resolved = resolveCredentialsSync({
    account: credentials.account ?? options.account,
    baseUrl: credentials.baseUrl ?? options.baseUrl,
    keyId: credentials.keyId,
    secret: credentials.secret,
    subAccount: credentials.subAccount ?? options.subAccount,
    orgAccess: credentials.orgAccess ?? options.orgAccess,
    env: {},
  });
  return {
    baseUrl: resolved.baseUrl,
    subAccount: resolved.subAccount,
    orgAccess: resolved.orgAccess,
    expiryTime,
    timeout,
    retry,
    fetch: options.fetch,
    store,
    windowFor,
    onWarning,
    loadCredentials: async () => resolved,
  };
}

function checkRotated(value: Credentials, fixed: ResolvedCredentials): ResolvedCredentials {
  if (value === null || typeof value !== 'object') {
    throw new InvalidOptionError(
      `The \`credentials\` function must return { keyId, secret }, got ${describe(value)}.`,
    );
  }
  const keyId = validateHeaderValue(value.keyId, 'keyId', 'from the `credentials` function');
  const secret = validateHeaderValue(value.secret, 'secret', 'from the `credentials` function');
  if (value.account !== undefined || value.baseUrl !== undefined) {
    const url =
      value.baseUrl !== undefined
        ? resolveBaseUrl(value.baseUrl, { allowAnyHost: true })
        : resolveBaseUrl(value.account as string);
    if (url !== fixed.baseUrl) {
      throw new InvalidOptionError(
        `The \`credentials\` function returned a key for ${url}, but this provider is for ${fixed.baseUrl}. Create one provider per account.`,
      );
    }
  }
  for (const field of ['subAccount', 'orgAccess'] as const) {
    if (value[field] !== undefined && value[field] !== fixed[field]) {
      throw new InvalidOptionError(
        `The \`credentials\` function returned \`${field}\` different from the provider's; set \`${field}\` as a provider option instead.`,
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
