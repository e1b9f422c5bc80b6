import { isLaceworkAuthError } from '../protocol/errors.js';
import type { TokenTiming } from '../protocol/refresh.js';

// Even when a token is about to expire, never retry a failing refresh more than 5 times a second.
const MIN_RETRY_MS = 200;
// With a still-valid token: a failed refresh is retried after 250 ms, 500 ms … 30 s.
const REFRESH = { first: 250, max: 30_000 };
// Without a valid token: network errors, 5xx and bad answers are retried after 1 s, 2 s, 4 s …
// 30 s; a rejected key after 30 s, 1 min … 5 min, as it rarely fixes itself.
const FAILURE = { first: 1_000, max: 30_000 };
const KEY_REJECTED = { first: 30_000, max: 300_000 };

/**
 * How long a failed refresh keeps the cache from trying again. Two counts grow apart: failures
 * while a valid token is still held (short waits, leaving a few attempts before it expires) and
 * failures without one (longer waits: every caller would otherwise hammer Lacework). A rejected
 * key waits long in both, a 429 at least as long as Lacework asked. A success, or another key,
 * starts over.
 */
export class Backoff {
  #until = 0;
  #withToken = 0;
  #withoutToken = 0;
  #error: unknown;
  #keyId: string | undefined;

  /** True while the last failure's wait runs. */
  waiting(now: number): boolean {
    return now < this.#until;
  }

  /** The last failure (served again to callers while {@link waiting}). */
  get error(): unknown {
    return this.#error;
  }

  /** The key the last failure was for. */
  get keyId(): string | undefined {
    return this.#keyId;
  }

  /**
   * True when the last failure was a 429, or the key's budget refusing the call (a rate limit seen
   * ahead, whose `retryAfterMs` is as good as the server's): asking again early only burns more.
   */
  get rateLimited(): boolean {
    return (
      isLaceworkAuthError(this.#error, 'ERR_LW_RATE_LIMITED') ||
      isLaceworkAuthError(this.#error, 'ERR_LW_BUDGET_EXHAUSTED')
    );
  }

  /** Records a failure of the refresh for `keyId`, while `held` was the token in service. */
  failed(error: unknown, keyId: string | undefined, held: TokenTiming | undefined, now: number) {
    // Another key's failures say nothing about this one: its backoff starts over.
    if (keyId !== this.#keyId) this.#withoutToken = 0;
    this.#error = error;
    this.#keyId = keyId;
    const rejected = isLaceworkAuthError(error, 'ERR_LW_KEY_REJECTED');
    let delay: number;
    if (held && now < held.expiresAt) {
      this.#withToken++;
      // A rejected key rarely fixes itself: back off as long as without a token (up to the cap).
      const { first, max } = rejected ? KEY_REJECTED : REFRESH;
      const exponential = Math.min(max, first * 2 ** (this.#withToken - 1));
      // Keep a few attempts before a still-valid token runs out.
      delay = Math.max(MIN_RETRY_MS, Math.min(exponential, (held.expiresAt - now) / 3));
    } else {
      this.#withoutToken++;
      const { first, max } = rejected ? KEY_REJECTED : FAILURE;
      delay = Math.min(max, first * 2 ** (this.#withoutToken - 1));
    }
    if (this.rateLimited) {
      const asked = (error as { retryAfterMs?: number }).retryAfterMs;
      if (asked !== undefined) delay = Math.max(delay, asked);
    }
    this.#until = now + delay;
  }

  /** Forgets every failure (a refresh succeeded, or the cache was cleared). */
  reset(): void {
    this.#until = 0;
    this.#withToken = 0;
    this.#withoutToken = 0;
    this.#error = undefined;
    this.#keyId = undefined;
  }
}
