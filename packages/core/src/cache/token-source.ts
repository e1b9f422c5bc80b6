import type { ResolvedCredentials } from '../credentials/types.js';
import { isLaceworkAuthError } from '../protocol/errors.js';
import { exchangeKey } from '../provider/exchange.js';
import type { ProviderConfig } from '../provider/options.js';
import type { StoredToken } from '../stores/types.js';
import type { WarningHandler } from '../toolkit/warnings.js';
import { cacheKey } from './cache-key.js';
import { type CachedToken, refreshAt, type SourceKey, type TokenSource } from './token-cache.js';

/** A key as the cache sees it: `id` is the store's cache key (no secret), changing with the key. */
export interface ProviderKey extends SourceKey {
  credentials: ResolvedCredentials;
}

/** Where a provider's new tokens come from, and how it forgets one. */
export interface StoreBackedSource {
  /** For the `TokenCache`: a token from the store (another process's) or a new exchange. */
  next: TokenSource<ProviderKey>;
  /**
   * Deletes the last token from the store (`invalidate()`), and never adopts `token` (the one being
   * invalidated) from the store again.
   */
  forget(token: string | undefined): Promise<void>;
}

/**
 * New tokens for one provider: adopt a usable token another process left in the `store` (under
 * the lock, when the store has one), else exchange the key and write the result to the store.
 * A store that fails is warned about and bypassed, never fatal.
 */
export function storeBackedSource(
  config: ProviderConfig,
  onRemoteDelete?: () => void,
): StoreBackedSource {
  const { store } = config;
  let lastKey: string | undefined;
  // The cache key whose deletion by another process (store.watch) clears this provider's memory.
  let watchedKey: string | undefined;
  let unwatch: (() => void) | undefined;
  // The token last invalidated: the store may still hold it (a slow delete, another process).
  let invalidated: string | undefined;
  // Tokens under one cache key were all requested with this lifetime; it sizes their window.
  const lifetimeMs = config.expiryTime * 1000;

  /** A usable token in the store, other than (and newer than) `replacing`, the one being refreshed. */
  const readStore = async (
    key: string,
    replacing: CachedToken | undefined,
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
    if (stored.token === invalidated) return undefined;
    // Re-adopting the token being refreshed (or an older one) would leave the refresh undone.
    if (
      replacing &&
      (stored.token === replacing.token || stored.expiresAt <= replacing.expiresAt)
    ) {
      return undefined;
    }
    const candidate: CachedToken = { token: stored.token, expiresAt: stored.expiresAt, lifetimeMs };
    // A stored token already inside its refresh window is not worth adopting: exchange instead.
    return Date.now() < refreshAt(candidate, config.windowFor) ? candidate : undefined;
  };

  const fetchToken: TokenSource<ProviderKey>['fetch'] = async ({
    force,
    previous,
    key: source,
  }) => {
    const { credentials, id: key } = source;
    lastKey = key;
    watch(key);
    // Forced without a token to replace: nothing in the store can be trusted to be newer.
    const useStore = !force || previous !== undefined;
    if (useStore) {
      const stored = await readStore(key, previous);
      if (stored) return stored;
    }
    const exchange = async (): Promise<CachedToken> => {
      // Another process may have finished an exchange while we waited for the lock.
      if (useStore) {
        const stored = await readStore(key, previous);
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
        budget: config.budget,
        onWarning: config.onWarning,
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
  };

  /** Follows deletions of `key` by other processes (a rotated key replaces the previous one). */
  const watch = (key: string) => {
    if (!store?.watch || !onRemoteDelete || key === watchedKey) return;
    watchedKey = key;
    try {
      unwatch?.();
      unwatch = store.watch(key, onRemoteDelete);
    } catch (error) {
      unwatch = undefined;
      warnStore(config.onWarning, 'watch', error);
    }
  };

  return {
    next: {
      async key() {
        const credentials = await config.loadCredentials();
        return { id: cacheKey(credentials, config.expiryTime), credentials };
      },
      fetch: fetchToken,
    },
    async forget(token) {
      if (token !== undefined) invalidated = token;
      if (!store || lastKey === undefined) return;
      try {
        await store.delete(lastKey);
      } catch (error) {
        warnStore(config.onWarning, 'delete', error);
      }
    },
  };
}

function warnStore(onWarning: WarningHandler, action: string, error: unknown) {
  const reason = isLaceworkAuthError(error) ? error.code : ((error as Error)?.name ?? 'error');
  const code = (error as { code?: unknown })?.code;
  onWarning(
    `lacework-auth: could not ${action} the token store (${typeof code === 'string' ? code : reason}); continuing without it.`,
    'LW_TOKEN_STORE',
  );
}
