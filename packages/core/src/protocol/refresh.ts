/** What the refresh rules need to know about a token. */
export interface TokenTiming {
  /** Absolute expiry (ms since the epoch). */
  expiresAt: number;
  /** Lifetime the token was issued with (ms); sizes the refresh window. */
  lifetimeMs: number;
}

/**
 * How long before expiry a token is refreshed, for a token that lives `lifetimeMs`. The one rule
 * shared by every lacework-auth runtime: 10 % of the lifetime, at least 1 s (or half the lifetime
 * for tokens shorter than 2 s), at most 5 minutes.
 *
 * @example
 * ```ts
 * refreshWindowMs(3_600_000); // 300000 (5 min for 1 h tokens)
 * refreshWindowMs(10_000);    // 1000
 * refreshWindowMs(1_000);     // 500
 * ```
 */
export function refreshWindowMs(lifetimeMs: number): number {
  const lifetime = Number.isFinite(lifetimeMs) && lifetimeMs > 0 ? lifetimeMs : 0;
  return Math.min(300_000, Math.max(lifetime * 0.1, Math.min(1000, lifetime / 2)));
}

/**
 * When `token` enters its refresh window (ms since the epoch): the window `windowFor` gives for
 * its lifetime, capped at half the lifetime. From then on a cached token is not handed out.
 */
export function refreshAt(
  token: TokenTiming,
  windowFor: (lifetimeMs: number) => number = refreshWindowMs,
): number {
  const window = Math.min(windowFor(token.lifetimeMs), token.lifetimeMs / 2);
  return token.expiresAt - Math.max(0, window);
}

/**
 * When the background refresh of `token` starts (ms since the epoch): one more window (at most half
 * the time left before the window) ahead of {@link refreshAt}, so that callers normally find the
 * new token ready and never wait, and a token inside its window is never served.
 */
export function prefetchAt(
  token: TokenTiming,
  windowFor: (lifetimeMs: number) => number = refreshWindowMs,
): number {
  const windowStart = refreshAt(token, windowFor);
  const window = token.expiresAt - windowStart;
  const beforeWindow = token.lifetimeMs - window;
  return windowStart - Math.min(window, beforeWindow / 2);
}

/**
 * True when a cached token may still be handed out at `now`: not expired and not inside its
 * refresh window.
 */
export function isServable(
  token: TokenTiming,
  now: number,
  windowFor: (lifetimeMs: number) => number = refreshWindowMs,
): boolean {
  return now < token.expiresAt && now < refreshAt(token, windowFor);
}
