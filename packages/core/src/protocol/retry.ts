/** Anything that reads a header by name: a fetch `Headers`, Postman's response headers, … */
export interface HeaderReader {
  get(name: string): string | null | undefined;
}

/** Fully resolved retry settings. */
export interface RetryPolicy {
  /** Retries after the first attempt. */
  limit: number;
  /** Longest wait a server may ask for, in ms; a longer one fails at once. */
  maxRetryAfter: number;
  /** Upper bound of the exponential backoff, in ms. */
  backoffLimit: number;
}

/** The retry settings every runtime starts from. */
export const DEFAULT_RETRY: Readonly<RetryPolicy> = Object.freeze({
  limit: 2,
  maxRetryAfter: 30_000,
  backoffLimit: 5_000,
});

/** Statuses an API request is retried on (429 always; 5xx when the request may be repeated). */
export const RETRY_STATUSES: readonly number[] = [429, 500, 502, 503, 504];

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
export function parseRetryAfter(headers: HeaderReader, now = Date.now()): number | undefined {
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
