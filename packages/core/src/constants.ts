/** Path of the Lacework token endpoint, relative to the base URL. */
export const TOKEN_PATH = '/api/v2/access/tokens';

/** Token lifetime Lacework uses when `expiryTime` is not sent, in seconds. */
export const DEFAULT_EXPIRY_TIME = 3600;

/** Longest token lifetime Lacework accepts, in seconds (24 h). */
export const MAX_EXPIRY_TIME = 86400;

/**
 * How long before expiry a token is refreshed, for a token that lives `lifetimeMs`. The one rule
 * shared by every lacework-auth package: 10 % of the lifetime, at least 1 s (or half the lifetime
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
