import type { RequestContext } from './context.js';
import { limit, type Reply, reject } from './reply.js';
import { findApiRoute } from './routes/api.js';
import { echo } from './routes/echo.js';
import { exchangeToken } from './routes/tokens.js';

/** The token endpoint. */
export const TOKEN_PATH = '/api/v2/access/tokens';
/** Prefix of the echo route used by proxy tests. */
export const ECHO_PREFIX = '/api/v2/Echo';

/** Which family a path belongs to (for the log and for fault matching). */
export function routeOf(path: string): 'token' | 'api' | 'echo' | 'other' {
  if (path === TOKEN_PATH) return 'token';
  if (path === ECHO_PREFIX || path.startsWith(`${ECHO_PREFIX}/`)) return 'echo';
  if (path.startsWith('/api/v2/')) return 'api';
  return 'other';
}

function methodNotAllowed(ctx: RequestContext, allow: string): Reply {
  const reply =
    limit(ctx, undefined) ?? reject(ctx, 405, `Method ${ctx.method} not allowed; use ${allow}.`);
  if (reply.status === 405) reply.headers.Allow = allow;
  return reply;
}

/** Routes a request to its handler. */
export function dispatch(ctx: RequestContext): Reply {
  if (ctx.path === TOKEN_PATH) {
    return ctx.method === 'POST' ? exchangeToken(ctx) : methodNotAllowed(ctx, 'POST');
  }
  if (routeOf(ctx.path) === 'echo') return echo(ctx);
  const route = findApiRoute(ctx.path);
  if (route)
    return ctx.method === route.method ? route.handle(ctx) : methodNotAllowed(ctx, route.method);
  return limit(ctx, undefined) ?? reject(ctx, 404, `No route for ${ctx.method} ${ctx.path}.`);
}
