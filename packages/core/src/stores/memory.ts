import { isStoredToken, type StoredToken, type TokenStore } from './types.js';

/**
 * An in-process store (a `Map`). Share one between several token providers in the same process;
 * expired entries are dropped when read.
 *
 * @example
 * ```ts
 * const store = memoryStore();
 * const provider = createTokenProvider({ store });
 * ```
 */
export function memoryStore(): TokenStore {
  const entries = new Map<string, StoredToken>();
  return {
    get(key) {
      const entry = entries.get(key);
      if (entry && entry.expiresAt <= Date.now()) {
        entries.delete(key);
        return undefined;
      }
      return entry ? { ...entry } : undefined;
    },
    set(key, value) {
      if (!isStoredToken(value)) throw new TypeError('memoryStore.set needs { token, expiresAt }.');
      entries.set(key, { token: value.token, expiresAt: value.expiresAt });
    },
    delete(key) {
      entries.delete(key);
    },
  };
}
