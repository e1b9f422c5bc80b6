import { createHash } from 'node:crypto';

/** The Redis names of one cache key: they share a hash tag, so a cluster keeps them in one slot. */
export interface KeyNames {
  /** `{token, expiresAt}` as JSON, expiring with the token (PXAT). */
  token: string;
  /** The exchange lock: an owner id, expiring after `lockTtlMs` unless renewed. */
  lock: string;
  /** Pub/sub channel announcing that the token was deleted (`invalidate()`). */
  deleted: string;
}

/**
 * Names for `key` under `prefix`. Core's cache keys (`lw-<sha256>`) are used as they are; any
 * other key is hashed, so braces or odd characters cannot break the hash tag.
 */
export function keyNames(prefix: string, key: string): KeyNames {
  const id = /^[A-Za-z0-9_-]{1,100}$/.test(key)
    ? key
    : `h-${createHash('sha256').update(key).digest('hex')}`;
  const base = `${prefix}{${id}}`;
  return { token: `${base}:token`, lock: `${base}:lock`, deleted: `${base}:deleted` };
}
