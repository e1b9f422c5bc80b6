import { isLaceworkAuthError } from './errors.js';

/** A token held by the cache, with the lifetime used to size its refresh window. */
export interface CachedToken {
  token: string;
  /** Absolute expiry (ms since the epoch). */
  expiresAt: number;
  /** Lifetime the token was issued with (ms); sizes the refresh window. */
  lifetimeMs: number;
}

/** How the cache gets a new token. `previous` is the token being replaced, if any. */
export type TokenSource = (request: {
  force: boolean;
  previous: CachedToken | undefined;
}) => Promise<CachedToken>;

/**
 * Single-flight, refresh-ahead token cache. Concurrent callers share one refresh; inside the
 * refresh window the refresh is attempted and, if it fails while the old token is still valid,
 * the old token is served and the next attempt waits a short, growing backoff. Only callers
 * without a valid token see the error.
 */
export class TokenCache {
  #current: CachedToken | undefined;
  #inflight: Promise<CachedToken> | undefined;
  #retryAt = 0;
  #failures = 0;
  #lastError: unknown;
  readonly #source: TokenSource;
  readonly #windowFor: (lifetimeMs: number) => number;

  constructor(source: TokenSource, windowFor: (lifetimeMs: number) => number) {
    this.#source = source;
    this.#windowFor = windowFor;
  }

  /** The cached token, refreshed when needed. */
  async get(force = false): Promise<CachedToken> {
    const current = this.#current;
    const now = Date.now();
    if (!force && current && now < refreshAt(current, this.#windowFor)) return current;
    if (!force && current && now < current.expiresAt) {
      // Inside the refresh window with a still-valid token.
      if (!this.#inflight && now < this.#retryAt) return current;
      try {
        return await this.#refresh(false);
      } catch (error) {
        if (Date.now() < current.expiresAt) return current;
        throw error;
      }
    }
    if (!force && !this.#inflight && now < this.#retryAt && isRateLimited(this.#lastError)) {
      // Asking again before the server's Retry-After would only burn more of the rate limit.
      throw this.#lastError;
    }
    const token = await this.#refresh(force);
    if (force && current && token.token === current.token) {
      // We joined a refresh that returned the very token the caller wanted replaced.
      return this.#refresh(true);
    }
    return token;
  }

  /** Forgets the current token (the next `get` fetches a new one). */
  clear(): void {
    this.#current = undefined;
    this.#retryAt = 0;
    this.#failures = 0;
    this.#lastError = undefined;
  }

  #refresh(force: boolean): Promise<CachedToken> {
    if (this.#inflight) return this.#inflight;
    const previous = this.#current;
    const run = (async () => {
      try {
        const token = await this.#source({ force, previous });
        this.#current = token;
        this.#failures = 0;
        this.#retryAt = 0;
        this.#lastError = undefined;
        return token;
      } catch (error) {
        this.#failures++;
        this.#lastError = error;
        this.#retryAt = Date.now() + this.#backoff(error);
        throw error;
      } finally {
        this.#inflight = undefined;
      }
    })();
    this.#inflight = run;
    return run;
  }

  #backoff(error: unknown): number {
    const exponential = Math.min(30_000, 250 * 2 ** (this.#failures - 1));
    const current = this.#current;
    // Keep a few attempts before a still-valid token runs out.
    const remaining = current ? current.expiresAt - Date.now() : Number.POSITIVE_INFINITY;
    let delay = Math.max(MIN_RETRY_MS, Math.min(exponential, remaining / 3));
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

// Even when a token is about to expire, never retry a failing refresh more than 5 times a second.
const MIN_RETRY_MS = 200;

function isRateLimited(error: unknown) {
  return isLaceworkAuthError(error, 'ERR_LW_RATE_LIMITED');
}
