import type { IncomingHttpHeaders } from 'node:http';
import { InvalidOptionError } from '@lacework-auth/core';
import { integerOption } from '../options.js';

/** One cached answer: what the proxy relayed, token already masked, headers already filtered. */
export interface CachedResponse {
  status: number;
  /** Response headers as relayed, as a flat `[name, value, …]` list. */
  headers: string[];
  body: Uint8Array;
  /** When Lacework answered (ms since the epoch). */
  storedAt: number;
  /** When it stops being served (ms since the epoch). */
  expiresAt: number;
}

/**
 * Where cached answers live. The default is an LRU in this process's memory; a store shared by
 * several servers (Redis) implements these two methods, keeping each value until `expiresAt`.
 * Keys are opaque hashes (`lw-proxy-<sha256>`) of the key's identity, sub-account, org access,
 * method, canonical route, query and forwarded headers. Values never hold the bearer token.
 */
export interface ResponseCacheStore {
  get(key: string): CachedResponse | undefined | null | Promise<CachedResponse | undefined | null>;
  set(key: string, value: CachedResponse): void | Promise<void>;
}

/** The proxy's `cache` option. */
export interface ResponseCacheOptions {
  /** How long an answer is served from the cache, in ms (1 ms to 1 hour). */
  ttl: number;
  /** Most answers kept in memory (least recently used go first). @default 500 */
  maxEntries?: number;
  /** Most bytes of bodies kept in memory; larger single answers are not cached. @default 16 MiB */
  maxBytes?: number;
  /** A shared store instead of the in-memory LRU (`maxEntries`/`maxBytes` then bound only the largest answer cached). */
  store?: ResponseCacheStore;
}

/** The `cache` option after validation. */
export interface CacheConfig {
  ttl: number;
  maxEntries: number;
  maxBytes: number;
  store: ResponseCacheStore;
}

const KNOWN = ['ttl', 'maxEntries', 'maxBytes', 'store'];

/**
 * Validates the proxy's `cache` option; `undefined`/`false` turn the cache off.
 *
 * @throws {InvalidOptionError} naming the field.
 */
export function normalizeCacheOption(value: unknown): CacheConfig | undefined {
  if (value === undefined || value === false) return undefined;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new InvalidOptionError(
      '`cache` must be false or { ttl, maxEntries?, maxBytes?, store? }.',
      {
        option: 'cache',
      },
    );
  }
  const options = value as Record<string, unknown>;
  for (const name of Object.keys(options)) {
    if (!KNOWN.includes(name)) {
      throw new InvalidOptionError(`\`cache\` has an unknown field; known: ${KNOWN.join(', ')}.`, {
        option: 'cache',
      });
    }
  }
  if (options.ttl === undefined) {
    throw new InvalidOptionError('`cache.ttl` is required (milliseconds, e.g. 10000).', {
      option: 'cache.ttl',
    });
  }
  const ttl = integerOption(options.ttl, 'cache.ttl', 0, { min: 1, max: 3_600_000, unit: 'ms' });
  const maxEntries = integerOption(options.maxEntries, 'cache.maxEntries', 500, {
    min: 1,
    max: 1_000_000,
    unit: 'entries',
  });
  const maxBytes = integerOption(options.maxBytes, 'cache.maxBytes', 16 * 1024 * 1024, {
    min: 1024,
    max: 2 ** 31,
    unit: 'bytes',
  });
  const store = options.store as Partial<ResponseCacheStore> | undefined;
  if (
    store !== undefined &&
    (store === null ||
      typeof store !== 'object' ||
      typeof store.get !== 'function' ||
      typeof store.set !== 'function')
  ) {
    throw new InvalidOptionError('`cache.store` must have get and set methods.', {
      option: 'cache.store',
    });
  }
  return {
    ttl,
    maxEntries,
    maxBytes,
    store: (store as ResponseCacheStore | undefined) ?? memoryResponseCache(maxEntries, maxBytes),
  };
}

/** An LRU of answers bounded in entries and in body bytes; expired entries go when read. */
export function memoryResponseCache(maxEntries: number, maxBytes: number): ResponseCacheStore {
  const entries = new Map<string, CachedResponse>();
  let bytes = 0;
  const remove = (key: string) => {
    const entry = entries.get(key);
    if (entry === undefined) return;
    entries.delete(key);
    bytes -= entry.body.byteLength;
  };
  return {
    get(key) {
      const entry = entries.get(key);
      if (entry === undefined) return undefined;
      remove(key);
      if (entry.expiresAt <= Date.now()) return undefined;
      // Most recently used goes last.
      entries.set(key, entry);
      bytes += entry.body.byteLength;
      return entry;
    },
    set(key, value) {
      remove(key);
      if (value.body.byteLength > maxBytes) return;
      entries.set(key, value);
      bytes += value.body.byteLength;
      for (const [oldest] of entries) {
        if (entries.size <= maxEntries && bytes <= maxBytes) break;
        remove(oldest);
      }
    },
  };
}

/**
 * The client asked for a fresh answer: `Cache-Control: no-cache`, `no-store` or `max-age=0`, or
 * `Pragma: no-cache`. The cache is not read (the answer still refreshes it).
 */
export function wantsFresh(headers: IncomingHttpHeaders): boolean {
  const control = headers['cache-control']?.toLowerCase() ?? '';
  return (
    /(?:^|,)\s*(?:no-cache|no-store|max-age\s*=\s*0+)\s*(?:,|$)/.test(control) ||
    /no-cache/i.test(String(headers.pragma ?? ''))
  );
}

/**
 * How long Lacework lets its answer be kept, in ms: `Infinity` when it says nothing (the proxy's
 * `ttl` then decides), 0 for `no-store`, `no-cache`, `private` or `max-age=0`.
 */
export function upstreamFreshness(cacheControl: string | undefined): number {
  if (cacheControl === undefined) return Number.POSITIVE_INFINITY;
  const directives = cacheControl.toLowerCase();
  if (/(?:^|,)\s*(?:no-store|no-cache|private)\b/.test(directives)) return 0;
  const maxAge = /(?:^|,)\s*(?:s-maxage|max-age)\s*=\s*"?(\d+)/.exec(directives);
  return maxAge ? Number(maxAge[1]) * 1000 : Number.POSITIVE_INFINITY;
}

/** Routes whose answers may hold credentials of their own (`AgentAccessTokens`): never cached. */
export function cacheableRoute(path: string): boolean {
  return !/token/i.test(path);
}

/** `headers` without the names in `replace` (any case), then `replace` appended. */
export function withHeaders(headers: readonly string[], replace: Record<string, string>): string[] {
  const names = new Set(Object.keys(replace).map((name) => name.toLowerCase()));
  const out: string[] = [];
  for (let i = 0; i < headers.length; i += 2) {
    if (!names.has((headers[i] as string).toLowerCase())) {
      out.push(headers[i] as string, headers[i + 1] as string);
    }
  }
  for (const [name, value] of Object.entries(replace)) out.push(name, value);
  return out;
}

/** Headers of an answer served from the cache: `Age`, the freshness left, `Cache-Status: hit`. */
export function cachedHeaders(entry: CachedResponse, now: number): string[] {
  const age = Math.max(0, Math.floor((now - entry.storedAt) / 1000));
  const left = Math.max(0, Math.floor((entry.expiresAt - now) / 1000));
  return withHeaders(entry.headers, {
    Age: String(age),
    'Cache-Control': `private, max-age=${left}`,
    'Cache-Status': `lacework-proxy; hit; ttl=${left}`,
  });
}
