import type { RequestContext } from './context.js';
import { message, type Reply } from './reply.js';

/**
 * Counts the request against `bucket` (a keyId, or the client address when no key is known).
 * Returns the 429 reply when the limit is exceeded.
 */
export function limit(ctx: RequestContext, bucket: string | undefined): Reply | undefined {
  const limiter = ctx.state.limiter;
  if (!limiter || ctx.rateLimit) return undefined;
  ctx.rateLimit = limiter.take(bucket ?? `address:${ctx.remote}`);
  if (ctx.rateLimit.allowed) return undefined;
  ctx.outcome = 'rateLimited';
  const headers: Record<string, string> = ctx.state.retryAfter
    ? { 'Retry-After': String(Math.max(1, ctx.rateLimit.resetSeconds)) }
    : {};
  return message(
    429,
    `Rate limit exceeded: ${limiter.limit} requests per ${limiter.windowMs / 1000} s. Try again in ${ctx.rateLimit.resetSeconds} s.`,
    headers,
  );
}

/** A rejection by the emulator's own checks (counted in `stats().rejected`). */
export function reject(ctx: RequestContext, status: number, text?: string): Reply {
  ctx.outcome = 'rejected';
  return message(status, text);
}
