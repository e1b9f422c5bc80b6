import { isLaceworkAuthError } from './errors.js';

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
 * Single-flight, refresh-ahead token cache. Concurrent callers share one refresh. Shortly before
 * the refresh window (see {@link prefetchAt}) one refresh starts in the background while callers
 * keep the current token; inside the window a token is never handed out while its refresh runs:
 * callers wait for the new one. A refresh that fails while the
 * old token is still valid keeps the old token in service and is retried after a short, growing
 * backoff. Without a valid token, a failed refresh is not repeated for every caller either: until
 * its backoff ends, callers get the same error again (unless forced, or the key changed).
 */
export class TokenCache<K extends SourceKey = SourceKey> {
  #current: CachedToken | undefined;
  #inflight: Promise<CachedToken> | undefined;
  #keyCheck: Promise<K> | undefined;
  #retryAt = 0;
  #failures = 0;
  #failuresWithoutToken = 0;
  #lastError: unknown;
  #failedKeyId: string | undefined;
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
    if (!force && current && now < current.expiresAt) {
      if (now < prefetchAt(current, this.#windowFor)) return current;
      // A refresh failed moments ago: the old token stays in service until its backoff ends.
      if (!this.#inflight && now < this.#retryAt) return current;
      const refresh = this.#refresh(false);
      // Ahead of the refresh window the refresh runs in the background: callers keep the current
      // token, which still has at least a whole window of life, and never wait for a slow exchange.
      if (now < refreshAt(current, this.#windowFor)) return current;
      // Inside the window a token is never handed out while its replacement can still come.
      try {
        return await refresh;
      } catch (error) {
        if (Date.now() < current.expiresAt) return current;
        throw error;
      }
    }
    if (!force && !this.#inflight && now < this.#retryAt) {
      // Asking again before the server's Retry-After would only burn more of the rate limit.
      if (isRateLimited(this.#lastError)) throw copyOf(this.#lastError);
      // The last exchange failed moments ago and no token is left: repeating it for every caller
      // would hammer Lacework (a rejected key does not fix itself). A rotated key is tried at once.
      const key = await this.#checkKey();
      if (key.id === this.#failedKeyId && Date.now() < this.#retryAt && !this.#inflight) {
        throw copyOf(this.#lastError);
      }
      return this.#refresh(false, key);
    }
    const token = await this.#refresh(force);
    if (force && current && token.token === current.token) {
      // We joined a refresh that returned the very token the caller wanted replaced.
      return this.#refresh(true);
    }
    return token;
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
    this.#retryAt = 0;
    this.#failures = 0;
    this.#failuresWithoutToken = 0;
    this.#lastError = undefined;
    this.#failedKeyId = undefined;
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
        this.#failures = 0;
        this.#failuresWithoutToken = 0;
        this.#retryAt = 0;
        this.#lastError = undefined;
        this.#failedKeyId = undefined;
        return token;
      } catch (error) {
        if (generation !== this.#generation) throw error;
        // Another key's failures say nothing about this one: its backoff starts over.
        if (keyId !== this.#failedKeyId) this.#failuresWithoutToken = 0;
        this.#lastError = error;
        this.#failedKeyId = keyId;
        this.#retryAt = Date.now() + this.#backoff(error);
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

  #backoff(error: unknown): number {
    const current = this.#current;
    const now = Date.now();
    let delay: number;
    if (current && now < current.expiresAt) {
      this.#failures++;
      // A rejected key rarely fixes itself: back off as long as without a token (up to the cap).
      const { first, max } = isKeyRejected(error) ? KEY_REJECTED_BACKOFF : REFRESH_BACKOFF;
      const exponential = Math.min(max, first * 2 ** (this.#failures - 1));
      // Keep a few attempts before a still-valid token runs out.
      const remaining = current.expiresAt - now;
      delay = Math.max(MIN_RETRY_MS, Math.min(exponential, remaining / 3));
    } else {
      this.#failuresWithoutToken++;
      const { first, max } = isKeyRejected(error) ? KEY_REJECTED_BACKOFF : FAILURE_BACKOFF;
      delay = Math.min(max, first * 2 ** (this.#failuresWithoutToken - 1));
    }
    if (isRateLimited(error) && error.retryAfterMs !== undefined) {
      delay = Math.max(delay, error.retryAfterMs);
    }
    return delay;
  }
}

/**
 * When `token` enters its refresh window (ms since the epoch): the window `windowFor` gives for
 * its lifetime, capped at half the lifetime.
 */
export function refreshAt(token: CachedToken, windowFor: (lifetimeMs: number) => number): number {
  const window = Math.min(windowFor(token.lifetimeMs), token.lifetimeMs / 2);
  return token.expiresAt - Math.max(0, window);
}

/**
 * When the background refresh of `token` starts (ms since the epoch): one more window (at most half
 * the time left before the window) ahead of {@link refreshAt}, so that callers normally find the
 * new token ready and never wait, and a token inside its window is never served.
 */
export function prefetchAt(token: CachedToken, windowFor: (lifetimeMs: number) => number): number {
  const windowStart = refreshAt(token, windowFor);
  const window = token.expiresAt - windowStart;
  const beforeWindow = token.lifetimeMs - window;
  return windowStart - Math.min(window, beforeWindow / 2);
}

// Even when a token is about to expire, never retry a failing refresh more than 5 times a second.
const MIN_RETRY_MS = 200;

// With a still-valid token: a failed refresh is retried after 250 ms, 500 ms … 30 s.
const REFRESH_BACKOFF = { first: 250, max: 30_000 };

// Without a valid token: network errors, 5xx and bad answers are retried after 1 s, 2 s, 4 s …
// 30 s; a rejected key after 30 s, 1 min … 5 min, as it rarely fixes itself.
const FAILURE_BACKOFF = { first: 1_000, max: 30_000 };
const KEY_REJECTED_BACKOFF = { first: 30_000, max: 300_000 };

// A budget refusal is a rate limit seen ahead: its retryAfterMs is as good as the server's.
function isRateLimited(error: unknown) {
  return (
    isLaceworkAuthError(error, 'ERR_LW_RATE_LIMITED') ||
    isLaceworkAuthError(error, 'ERR_LW_BUDGET_EXHAUSTED')
  );
}

function isKeyRejected(error: unknown) {
  return isLaceworkAuthError(error, 'ERR_LW_KEY_REJECTED');
}

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
