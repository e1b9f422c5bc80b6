/** Rate limit settings: `limit` requests per `windowMs`, per key. */
export interface RateLimitOptions {
  /** @default 480 */
  limit?: number;
  /** @default 3600000 (one hour) */
  windowMs?: number;
}

/** Result of counting one request against a bucket. */
export interface RateLimitResult {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the window resets (delta seconds, as in the IETF RateLimit header draft). */
  resetSeconds: number;
}

/**
 * Fixed windows per bucket (a keyId, or the client address when no key is known). Lacework
 * documents "about 480 requests per hour per user" without saying how the window moves; a fixed
 * window gives a deterministic `RateLimit-Reset`.
 */
export class RateLimiter {
  readonly #windows = new Map<string, { start: number; count: number }>();
  constructor(
    readonly limit: number,
    readonly windowMs: number,
  ) {}

  #window(bucket: string, now: number) {
    let w = this.#windows.get(bucket);
    if (!w || now >= w.start + this.windowMs) {
      w = { start: now, count: 0 };
      this.#windows.set(bucket, w);
    }
    return w;
  }

  /** Counts a request; a refused request does not count. */
  take(bucket: string, now = Date.now()): RateLimitResult {
    const w = this.#window(bucket, now);
    const allowed = w.count < this.limit;
    if (allowed) w.count++;
    return this.#result(w, allowed, now);
  }

  reset(): void {
    this.#windows.clear();
  }

  #result(w: { start: number; count: number }, allowed: boolean, now: number): RateLimitResult {
    return {
      allowed,
      limit: this.limit,
      remaining: Math.max(0, this.limit - w.count),
      resetSeconds: Math.max(0, Math.ceil((w.start + this.windowMs - now) / 1000)),
    };
  }
}

/** The `RateLimit-*` headers for a result. */
export function rateLimitHeaders(r: RateLimitResult): Record<string, string> {
  return {
    'RateLimit-Limit': String(r.limit),
    'RateLimit-Remaining': String(r.remaining),
    'RateLimit-Reset': String(r.resetSeconds),
  };
}
