import type { RateBudget } from '../budget/rate-budget.js';
import { TokenCache } from '../cache/token-cache.js';
import { storeBackedSource } from '../cache/token-source.js';
import { apiHeaders } from '../protocol/api.js';
import { InvalidOptionError } from '../protocol/errors.js';
import { describe } from '../protocol/validate.js';
import { validateBoolean } from '../toolkit/options.js';
import type { AccessToken } from './exchange.js';
import { normalizeProviderOptions, type TokenProviderOptions } from './options.js';

export type { AccessToken } from './exchange.js';
export type { TokenProviderOptions } from './options.js';

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
  /**
   * The headers a Lacework API request needs, for `fetch`, axios, got and other clients:
   * `Authorization: Bearer <token>` (a token from {@link getToken}), plus `Account-Name` with a
   * sub-account and `Org-Access: true` for organization-level access. Call it per request (it is
   * cheap) so that tokens stay fresh; never log the result. Every provider from
   * {@link createTokenProvider} has it; it is optional so that hand-made providers need not.
   *
   * @example
   * ```ts
   * const res = await fetch(`${provider.baseUrl}/api/v2/UserProfile`, {
   *   headers: await provider.authHeaders(),
   * });
   * ```
   */
  authHeaders?(options?: GetTokenOptions): Promise<Record<string, string>>;
  /** API base URL, e.g. `https://acme.lacework.net`. */
  readonly baseUrl: string;
  /** Sub-account sent as `Account-Name`, if any. */
  readonly subAccount?: string | undefined;
  /** Whether requests carry `Org-Access: true`. */
  readonly orgAccess?: boolean | undefined;
  /**
   * The key's rate budget: token exchanges draw on it, and so should every API call made with
   * this provider's tokens (`createLaceworkClient` and the Express proxy do). `undefined` with
   * `budget: false`.
   */
  readonly budget?: RateBudget | undefined;
}

/**
 * Creates a token provider: exchanges the API key for a bearer token, caches it (in memory and in
 * an optional `store`), shares one exchange between concurrent callers, refreshes ahead of expiry,
 * and keeps serving a still-valid token while a refresh fails. Without a valid token, a failed
 * exchange is retried only after a growing backoff (callers get the same error meanwhile; see the
 * README). Options are validated here, synchronously, before any request.
 *
 * @throws {LaceworkAuthError} `ERR_LW_INVALID_OPTION`, `ERR_LW_MISSING_CREDENTIALS`,
 *   `ERR_LW_INVALID_BASE_URL`
 * @example
 * ```ts
 * const provider = createTokenProvider({ account: 'acme', keyId, secret, store: fileStore() });
 * const { token, expiresAt } = await provider.getToken();
 * ```
 */
export function createTokenProvider(
  options?: TokenProviderOptions,
): TokenProvider & Required<Pick<TokenProvider, 'authHeaders'>> {
  const config = normalizeProviderOptions(options);
  // Another process's invalidate() (a store with `watch`) drops the token held here too.
  const source = storeBackedSource(config, () => cache.clear());
  const cache = new TokenCache(source.next, config.windowFor);

  const provider: ReturnType<typeof createTokenProvider> = {
    async getToken(getOptions?: GetTokenOptions) {
      if (getOptions !== undefined && (getOptions === null || typeof getOptions !== 'object')) {
        throw new InvalidOptionError(
          `\`getToken\` options must be an object, got ${describe(getOptions)}.`,
          { option: 'options' },
        );
      }
      const forceRefresh = validateBoolean(getOptions?.forceRefresh, 'forceRefresh') === true;
      const token = await cache.get(forceRefresh);
      return { token: token.token, expiresAt: new Date(token.expiresAt) };
    },
    async invalidate() {
      // The store first: until memory is cleared, callers keep the old token rather than starting
      // a refresh that could find it in the store again (it is excluded from adoption anyway).
      await source.forget(cache.peek()?.token);
      cache.clear();
    },
    async authHeaders(getOptions?: GetTokenOptions) {
      const { token } = await provider.getToken(getOptions);
      return apiHeaders({ token, subAccount: config.subAccount, orgAccess: config.orgAccess });
    },
    baseUrl: config.baseUrl,
    subAccount: config.subAccount,
    orgAccess: config.orgAccess,
    budget: config.budget,
  };
  freshTokens.set(provider, () => cache.fresh()?.token);
  return provider;
}

const freshTokens = new WeakMap<TokenProvider, () => string | undefined>();

/**
 * The token `provider` would hand out at once, without a refresh, or `undefined` (then call
 * `getToken()`): the client's per-request fast path. Only for providers made by
 * {@link createTokenProvider}; any other provider (a wrapper too) always goes through `getToken()`.
 */
export function freshToken(provider: TokenProvider): string | undefined {
  return freshTokens.get(provider)?.();
}
