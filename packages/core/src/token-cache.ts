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
 * Single-flight, refresh-ahead token cache. Concurrent callers share one refresh. Inside the
 * refresh window the current token is served at once while one refresh runs in the background;
 * only in the last moments before expiry do callers wait for it. A refresh that fails while the
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
      if (now < refreshAt(current, this.#windowFor)) return current;
      // Inside the refresh window with a still-valid token.
      if (!this.#inflight && now < this.#retryAt) return current;
      const refresh = this.#refresh(false);
      // Valid for a while yet: callers need not wait for the refresh (nor pay for a slow one).
      if (now < awaitFrom(current, this.#windowFor)) return current;
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

  /** Forgets the current token and any failure backoff (the next `get` fetches a new one). */
  clear(): void {
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
    const run = (async () => {
      let keyId: string | undefined;
      try {
        const key = preparedKey ?? (await this.#source.key());
        keyId = key.id;
        const token = await this.#source.fetch({ force, previous, key });
        this.#current = token;
        this.#failures = 0;
        this.#failuresWithoutToken = 0;
        this.#retryAt = 0;
        this.#lastError = undefined;
        this.#failedKeyId = undefined;
        return token;
      } catch (error) {
        // Another key's failures say nothing about this one: its backoff starts over.
        if (keyId !== this.#failedKeyId) this.#failuresWithoutToken = 0;
        this.#lastError = error;
        this.#failedKeyId = keyId;
        this.#retryAt = Date.now() + this.#backoff(error);
        throw error;
      } finally {
        this.#inflight = undefined;
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
      const exponential = Math.min(30_000, 250 * 2 ** (this.#failures - 1));
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
 * From when callers wait for the refresh instead of getting `token` (ms since the epoch): half the
 * refresh window before expiry, at most {@link AWAIT_MARGIN_MS}. Before that, `token` is served and
 * refreshed in the background.
 */
export function awaitFrom(token: CachedToken, windowFor: (lifetimeMs: number) => number): number {
  const window = token.expiresAt - refreshAt(token, windowFor);
  return token.expiresAt - Math.min(window / 2, AWAIT_MARGIN_MS);
}

/**
 * Longest stretch before expiry in which callers wait for a running refresh rather than get the
 * old token: enough for a request sent with the old token to reach Lacework before it expires.
 */
export const AWAIT_MARGIN_MS = 10_000;

// Even when a token is about to expire, never retry a failing refresh more than 5 times a second.
const MIN_RETRY_MS = 200;

// Without a valid token: network errors, 5xx and bad answers are retried after 1 s, 2 s, 4 s …
// 30 s; a rejected key after 30 s, 1 min … 5 min, as it rarely fixes itself.
const FAILURE_BACKOFF = { first: 1_000, max: 30_000 };
const KEY_REJECTED_BACKOFF = { first: 30_000, max: 300_000 };

function isRateLimited(error: unknown) {
  return isLaceworkAuthError(error, 'ERR_LW_RATE_LIMITED');
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
