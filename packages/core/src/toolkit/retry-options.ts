import { InvalidOptionError } from '../protocol/errors.js';
import { SAFE_INPUT, showInput } from '../protocol/redact.js';
import { DEFAULT_RETRY, type RetryPolicy } from '../protocol/retry.js';
import { describe } from '../protocol/validate.js';
import { validateCount, validateMs } from './options.js';

export { backoffDelay, parseRetryAfter, type RetryPolicy } from '../protocol/retry.js';

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

/** Normalizes the `retry` option (`number` = limit, or {@link RetryOptions}). */
export function normalizeRetry(value: unknown, name = 'retry'): RetryPolicy {
  const defaults = { ...DEFAULT_RETRY };
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
