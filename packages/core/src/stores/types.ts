/** What a store keeps for one key: the token and its absolute expiry. Never the secret. */
export interface StoredToken {
  /** The bearer token. */
  token: string;
  /** Absolute expiry, in ms since the epoch. */
  expiresAt: number;
}

/** A value or a promise of it: stores may be synchronous or asynchronous. */
export type MaybePromise<T> = T | Promise<T>;

/**
 * Where tokens are cached between calls, processes or machines. Keys are opaque hashes built by the
 * token provider (they never contain the secret). Each method may return a value or a promise.
 * A store should treat unreadable entries as missing rather than throw.
 *
 * @example
 * ```ts
 * // A Redis store in a few lines:
 * const redisStore = (redis: Redis): TokenStore => ({
 *   get: async (key) => JSON.parse((await redis.get(key)) ?? 'null') ?? undefined,
 *   set: async (key, value) => void (await redis.set(key, JSON.stringify(value), 'PXAT', value.expiresAt)),
 *   delete: async (key) => void (await redis.del(key)),
 * });
 * ```
 */
export interface TokenStore {
  /** The stored token for `key`, or `undefined` when there is none (or it is unreadable). */
  get(key: string): MaybePromise<StoredToken | undefined | null>;
  /** Stores `value` under `key`, replacing what was there. */
  set(key: string, value: StoredToken): MaybePromise<void>;
  /** Removes `key` (no error when it is absent). */
  delete(key: string): MaybePromise<void>;
  /**
   * Optional cross-process mutual exclusion: runs `fn` while holding a lock for `key`, so that
   * several processes sharing the store make one exchange. `fileStore` implements it.
   */
  withLock?<T>(key: string, fn: () => Promise<T>): Promise<T>;
  /**
   * Optional: lets an `invalidate()` in another process reach this one. The token provider calls
   * it with each cache key it uses; the store calls `onDelete` when another process (or another
   * provider) deletes `key`, and the provider then drops the token it holds in memory. Returns a
   * function that stops listening. `redisStore` (`@lacework-auth/redis`) implements it.
   */
  watch?(key: string, onDelete: () => void): () => void;
}

/** True when `value` has the shape of a {@link StoredToken}. */
export function isStoredToken(value: unknown): value is StoredToken {
  if (value === null || typeof value !== 'object') return false;
  const record = value as Record<string, unknown>;
  return (
    typeof record.token === 'string' &&
    record.token.length > 0 &&
    typeof record.expiresAt === 'number' &&
    Number.isFinite(record.expiresAt)
  );
}
