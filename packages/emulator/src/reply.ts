import { STATUS_CODES } from 'node:http';
import type { RequestContext } from './context.js';

/** What a route answers; the server turns it into bytes (after faults had their say). */
export interface Reply {
  status: number;
  headers: Record<string, string>;
  /** A JSON value, or a string sent as is. */
  body: unknown;
}

/** A JSON reply. */
export function json(status: number, body: unknown, headers: Record<string, string> = {}): Reply {
  return { status, headers, body };
}

/** 204 No Content: no body, no `Content-Type` (Lacework's answer to an empty search). */
export function noContent(): Reply {
  return { status: 204, headers: {}, body: undefined };
}

/** Lacework v2 errors are a top-level `{"message": "..."}`. */
export function message(
  status: number,
  text?: string,
  headers: Record<string, string> = {},
): Reply {
  return json(status, { message: text ?? STATUS_CODES[status] ?? 'Error' }, headers);
}

/** Serializes a reply body: strings go out untouched, everything else as JSON. */
export function encodeBody(body: unknown): { text: string; contentType: string } {
  if (typeof body === 'string') return { text: body, contentType: 'text/plain; charset=utf-8' };
  return { text: JSON.stringify(body ?? null), contentType: 'application/json; charset=utf-8' };
}

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
