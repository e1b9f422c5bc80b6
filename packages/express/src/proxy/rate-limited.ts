import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseRetryAfter } from '@lacework-auth/core';
import { clientMessage } from '../gateway-error.js';
import { sendJsonError } from '../json-error.js';
import type { RateLimitStatus } from '../rate-limit-status.js';

/**
 * Answers Lacework's 429 the way `laceworkErrorHandler` answers a rate-limited `laceworkAuth`
 * route: `status` (503 by default), `{ "error": { "code": "ERR_LW_RATE_LIMITED", "message" } }`
 * and `Retry-After` in whole seconds, from Lacework's `Retry-After` or `RateLimit-Reset`.
 * Lacework's body is drained, not relayed.
 */
export function answerRateLimited(
  response: IncomingMessage,
  res: ServerResponse,
  status: RateLimitStatus,
): void {
  const headers = new Headers();
  for (const name of ['retry-after', 'ratelimit-reset'] as const) {
    const value = response.headers[name];
    if (typeof value === 'string') headers.set(name, value);
  }
  const waitMs = parseRetryAfter(headers);
  response.resume();
  sendJsonError(
    res,
    status,
    'ERR_LW_RATE_LIMITED',
    clientMessage('ERR_LW_RATE_LIMITED', status),
    waitMs === undefined
      ? undefined
      : { 'Retry-After': String(Math.max(1, Math.ceil(waitMs / 1000))) },
  );
}
