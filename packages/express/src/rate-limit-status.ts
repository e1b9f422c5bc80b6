import { InvalidOptionError } from '@lacework-auth/core';

/**
 * The status for "Lacework's rate limit for this server's key was reached", the same for
 * `laceworkProxy` and `laceworkErrorHandler`: 503 (the default: the server, as a gateway, is out
 * of Lacework budget; 429 stays free for limits on your own clients, such as express-rate-limit's)
 * or 429.
 */
export type RateLimitStatus = 429 | 503;

/** Checks the `rateLimitStatus` option. */
export function rateLimitStatusOption(value: unknown): RateLimitStatus {
  if (value === undefined) return 503;
  if (value !== 429 && value !== 503) {
    throw new InvalidOptionError(
      `\`rateLimitStatus\` must be 503 or 429, got ${typeof value === 'number' ? value : `a ${typeof value}`}.`,
      {
        option: 'rateLimitStatus',
      },
    );
  }
  return value;
}
