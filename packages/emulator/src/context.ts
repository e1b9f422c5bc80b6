import type { EmulatorKey } from './keys.js';
import type { PageStore } from './paging.js';
import type { RateLimiter, RateLimitResult } from './rate-limit.js';
import type { TokenRegistry } from './tokens.js';

/** Shared state the routes read and change. */
export interface EmulatorState {
  keys: Map<string, EmulatorKey>;
  tokens: TokenRegistry;
  limiter: RateLimiter | undefined;
  retryAfter: boolean;
  /** Status of a successful exchange. */
  tokenStatus: number;
  /** Accept `Authorization: <token>` without `Bearer `. */
  bareTokens: boolean;
  /** The emulator's base URL (set once it listens). */
  url: string;
  /** Paged answers and the cursors behind their `nextPage` URLs. */
  pages: PageStore;
}

/** What counters a request moves, decided by the route that answered it. */
export type Outcome = 'exchange' | 'apiCall' | 'rejected' | 'rateLimited' | 'none';

/** One request as the routes see it. */
export interface RequestContext {
  method: string;
  path: string;
  query: URLSearchParams;
  /** As `IncomingMessage.headers` (typed here without Node.js types, which the package's public types must not need). */
  headers: Record<string, string | string[] | undefined>;
  rawBody: string;
  /** Client address, the rate-limit bucket when no key is known. */
  remote: string;
  state: EmulatorState;
  keyId?: string;
  account?: string;
  outcome: Outcome;
  /** Set once the request has been counted against a rate-limit bucket. */
  rateLimit?: RateLimitResult;
}

/** A header's value; repeated headers are joined as Node does for most headers. */
export function header(ctx: RequestContext, name: string): string | undefined {
  const v = ctx.headers[name.toLowerCase()];
  return Array.isArray(v) ? v.join(', ') : v;
}

/** Whether the request declares a JSON body (`application/json`, parameters allowed). */
export function isJsonContentType(ctx: RequestContext): boolean {
  const ct = header(ctx, 'content-type');
  return ct !== undefined && /^application\/json\s*(;|$)/i.test(ct.trim());
}
