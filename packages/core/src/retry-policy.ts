import { InvalidOptionError } from './errors.js';
import { SAFE_INPUT, showInput } from './redact.js';
import { describe, validateCount, validateMs } from './validate.js';

/** How failed requests (429, 5xx, network errors) are retried. */
export interface RetryOptions {
  /**
   * Retries after the first attempt.
   * @default 2
   */
  limit?: number;
  /**
   * Longest wait a server may ask for (`Retry-After`, `RateLimit-Reset`), in ms. A longer wait
   * fails at once with `ERR_LW_RATE_LIMITED` (and `retryAfterMs`) instead of blocking.
   * @default 30000
   */
  maxRetryAfter?: number;
  /**
   * Upper bound of the exponential backoff (300 ms, 600 ms, 1.2 s, ...) between retries, in ms.
   * @default 5000
   */
  backoffLimit?: number;
}

/** Fully resolved retry settings. */
export interface RetryPolicy {
  limit: number;
  maxRetryAfter: number;
  backoffLimit: number;
}

/** Normalizes the `retry` option (`number` = limit, or {@link RetryOptions}). */
export function normalizeRetry(value: unknown, name = 'retry'): RetryPolicy {
  const defaults: RetryPolicy = { limit: 2, maxRetryAfter: 30_000, backoffLimit: 5_000 };
  if (value === undefined) return defaults;
  if (typeof value === 'number') {
    return { ...defaults, limit: validateCount(value, name) ?? defaults.limit };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new InvalidOptionError(
      `\`${name}\` must be a number or { limit?, maxRetryAfter?, backoffLimit? }, got ${describe(value)}.`,
      { option: name },
    );
  }
  const input = value as RetryOptions;
  for (const key of Object.keys(input)) {
    if (!['limit', 'maxRetryAfter', 'backoffLimit'].includes(key)) {
      throw new InvalidOptionError(
        `\`${name}\` got an unknown field ${showInput(key, SAFE_INPUT.name, 'code')}. Known: limit, maxRetryAfter, backoffLimit.`,
        { option: name },
      );
    }
  }
  return {
    limit: validateCount(input.limit, `${name}.limit`) ?? defaults.limit,
    maxRetryAfter:
      validateMs(input.maxRetryAfter, `${name}.maxRetryAfter`) ?? defaults.maxRetryAfter,
    backoffLimit: validateMs(input.backoffLimit, `${name}.backoffLimit`) ?? defaults.backoffLimit,
  };
}

/** Exponential backoff with a little jitter: ~300 ms, ~600 ms, ~1.2 s, ... capped. */
export function backoffDelay(attempt: number, policy: RetryPolicy): number {
  const base = 300 * 2 ** Math.max(0, attempt - 1);
  return Math.min(policy.backoffLimit, base * (0.8 + Math.random() * 0.4));
}

// Values at or above this are Unix timestamps (seconds) rather than delays.
const EPOCH_THRESHOLD_S = 1_000_000_000;

/**
 * How long a 429/503 response asks us to wait, in ms: `Retry-After` (seconds or HTTP date), else
 * `RateLimit-Reset` (seconds until reset; a Unix timestamp is accepted too). `undefined` if neither.
 */
export function parseRetryAfter(headers: Headers, now = Date.now()): number | undefined {
  const retryAfter = headers.get('retry-after')?.trim();
  if (retryAfter) {
    if (/^\d+(\.\d+)?$/.test(retryAfter)) return Math.round(Number(retryAfter) * 1000);
    const date = Date.parse(retryAfter);
    if (!Number.isNaN(date)) return Math.max(0, date - now);
  }
  const reset = headers.get('ratelimit-reset')?.trim();
  if (reset && /^\d+(\.\d+)?$/.test(reset)) {
    const seconds = Number(reset);
    return seconds >= EPOCH_THRESHOLD_S
      ? Math.max(0, Math.round(seconds * 1000 - now))
      : Math.round(seconds * 1000);
  }
  return undefined;
}

/** Resolves after `ms` milliseconds; rejects with the signal's reason if it aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
