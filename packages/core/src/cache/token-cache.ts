import { prefetchAt, refreshAt } from '../protocol/refresh.js';
import { Backoff } from './backoff.js';

/** A token held by the cache, with the lifetime used to size its refresh window. */
export interface CachedToken {
  token: string;
  /** Absolute expiry (ms since the epoch). */
  expiresAt: number;
  /** Lifetime the token was issued with (ms); sizes the refresh window. */
  lifetimeMs: number;
}

/** The key a refresh would use. `id` tells keys apart (never the secret): a new `id` is a rotated key. */
export interface SourceKey {
  id: string;
}

/** How the cache gets a new token. */
export interface TokenSource<K extends SourceKey = SourceKey> {
  /** The key for the next exchange (re-read each time: key rotation). */
  key(): Promise<K>;
  /** A new token for `key`. `previous` is the token being replaced, if any. */
  fetch(request: {
    force: boolean;
    previous: CachedToken | undefined;
    key: K;
  }): Promise<CachedToken>;
}

/**
 * Where a cached token stands at a moment, given its refresh timing (see `prefetchAt` and
 * `refreshAt` in the protocol module) and the backoff after a failed refresh:
 *
 * - `fresh`: handed out as is.
 * - `prefetch`: still handed out, while one refresh runs in the background.
 * - `held`: a refresh failed moments ago; the still-valid token stays in service until the backoff
 *   ends.
 * - `window`: inside the refresh window: callers wait for the new token (the old one only if the
 *   refresh fails while it is still valid).
 * - `none`: no token, or an expired one: callers wait for a new one.
 */
export type Phase = 'fresh' | 'prefetch' | 'held' | 'window' | 'none';

/** The {@link Phase} of `token` at `now`. */
export function phaseOf(
  token: CachedToken | undefined,
  now: number,
  windowFor: (lifetimeMs: number) => number,
  backingOff: boolean,
): Phase {
  if (!token || now >= token.expiresAt) return 'none';
  if (now < prefetchAt(token, windowFor)) return 'fresh';
  if (backingOff) return 'held';
  return now < refreshAt(token, windowFor) ? 'prefetch' : 'window';
}

/**
 * Single-flight, refresh-ahead token cache. Concurrent callers share one refresh. Shortly before
 * the refresh window one refresh starts in the background while callers keep the current token;
 * inside the window a token is never handed out while its refresh runs: callers wait for the new
 * one (see {@link Phase}). A refresh that fails while the old token is still valid keeps the old
 * token in service and is retried after a short, growing {@link Backoff}. Without a valid token, a
 * failed refresh is not repeated for every caller either: until its backoff ends, callers get the
 * same error again (unless forced, or the key changed).
 */
export class TokenCache<K extends SourceKey = SourceKey> {
  #current: CachedToken | undefined;
  #inflight: Promise<CachedToken> | undefined;
  #keyCheck: Promise<K> | undefined;
  readonly #backoff = new Backoff();
  #freshUntil: { token: CachedToken; at: number } | undefined;
  // Bumped by clear(): a refresh started before it may not write its token or failure afterwards.
  #generation = 0;
  readonly #source: TokenSource<K>;
  readonly #windowFor: (lifetimeMs: number) => number;

  constructor(source: TokenSource<K>, windowFor: (lifetimeMs: number) => number) {
    this.#source = source;
    this.#windowFor = windowFor;
  }

  /** The cached token, refreshed when needed. */
  async get(force = false): Promise<CachedToken> {
    const current = this.#current;
    const now = Date.now();
    if (force) return this.#forced(current);
    const backingOff = !this.#inflight && this.#backoff.waiting(now);
    switch (phaseOf(current, now, this.#windowFor, backingOff)) {
      case 'fresh':
      case 'held':
        return current as CachedToken;
      case 'prefetch':
        // The current token still has at least a whole window of life: callers never wait for
        // a slow exchange.
        this.#refresh(false);
        return current as CachedToken;
      case 'window':
        return this.#awaitReplacement(current as CachedToken);
      case 'none':
        return backingOff ? this.#afterFailure() : this.#refresh(false);
    }
  }

  /**
   * The token when it is `fresh` (see {@link Phase}), without waiting: a fast path for callers
   * that would otherwise await {@link get} on every request.
   */
  fresh(now = Date.now()): CachedToken | undefined {
    const current = this.#current;
    if (current === undefined) return undefined;
    // The moment the token stops being fresh, worked out once per token.
    if (this.#freshUntil?.token !== current) {
      this.#freshUntil = {
        token: current,
        at: Math.min(current.expiresAt, prefetchAt(current, this.#windowFor)),
      };
    }
    return now < this.#freshUntil.at ? current : undefined;
  }

  /** The token in memory, if any (not refreshed). */
  peek(): CachedToken | undefined {
    return this.#current;
  }

  /**
   * Forgets the current token, any failure backoff and any refresh in flight (the next `get`
   * fetches a new one; a refresh started before is left to finish but changes nothing here).
   */
  clear(): void {
    this.#generation++;
    this.#inflight = undefined;
    this.#current = undefined;
    this.#backoff.reset();
  }

  /** Inside the window: the new token, or the old one while it lasts if the refresh fails. */
  async #awaitReplacement(current: CachedToken): Promise<CachedToken> {
    try {
      return await this.#refresh(false);
    } catch (error) {
      if (Date.now() < current.expiresAt) return current;
      throw error;
    }
  }

  /** No valid token and a failure moments ago: the same failure, unless the key was rotated. */
  async #afterFailure(): Promise<CachedToken> {
    const backoff = this.#backoff;
    // Asking again before the server's Retry-After would only burn more of the rate limit.
    if (backoff.rateLimited) throw copyOf(backoff.error);
    // A rejected key does not fix itself, but a rotated key is tried at once.
    const key = await this.#checkKey();
    if (key.id === backoff.keyId && backoff.waiting(Date.now()) && !this.#inflight) {
      throw copyOf(backoff.error);
    }
    return this.#refresh(false, key);
  }

  /** `forceRefresh`: a token other than `current`, even if a refresh for it was running. */
  async #forced(current: CachedToken | undefined): Promise<CachedToken> {
    const token = await this.#refresh(true);
    // We joined a refresh that returned the very token the caller wanted replaced.
    if (current && token.token === current.token) return this.#refresh(true);
    return token;
  }

  #checkKey(): Promise<K> {
    if (!this.#keyCheck) {
      const check = this.#source.key().finally(() => {
        if (this.#keyCheck === check) this.#keyCheck = undefined;
      });
      this.#keyCheck = check;
    }
    return this.#keyCheck;
  }

  #refresh(force: boolean, preparedKey?: K): Promise<CachedToken> {
    if (this.#inflight) return this.#inflight;
    const previous = this.#current;
    const generation = this.#generation;
    const run = (async () => {
      let keyId: string | undefined;
      try {
        const key = preparedKey ?? (await this.#source.key());
        keyId = key.id;
        const token = await this.#source.fetch({ force, previous, key });
        // Invalidated meanwhile: its callers asked before, but the cache must not take it back.
        if (generation !== this.#generation) return token;
        this.#current = token;
        this.#backoff.reset();
        return token;
      } catch (error) {
        if (generation !== this.#generation) throw error;
        this.#backoff.failed(error, keyId, this.#current, Date.now());
        throw error;
      } finally {
        // After clear(), #inflight may be a newer refresh: leave it alone.
        if (generation === this.#generation) this.#inflight = undefined;
      }
    })();
    this.#inflight = run;
    // A background refresh may have no caller waiting: its failure is recorded above, and must not
    // surface as an unhandled rejection.
    run.catch(() => undefined);
    return run;
  }
}

export { prefetchAt, refreshAt } from '../protocol/refresh.js';

/**
 * A new object equal to `error` (same class, code, message, stack and fields), so callers served
 * a remembered failure do not share, and cannot alter, one error object.
 */
function copyOf(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  const copy = Object.create(Object.getPrototypeOf(error)) as Error;
  Object.defineProperties(copy, Object.getOwnPropertyDescriptors(error));
  return copy;
}
