import { header, type RequestContext } from '../context.js';
import { json, limit, type Reply } from '../reply.js';
import { redactHeaders } from '../stats.js';
import { checkToken } from './auth.js';

/**
 * `ANY /api/v2/Echo/...`: answers what it received so proxy tests can see exactly what was
 * forwarded. It never refuses a bad token; it reports `tokenValid` instead.
 */
export function echo(ctx: RequestContext): Reply {
  const hasAuth = header(ctx, 'authorization') !== undefined;
  const checked = hasAuth ? checkToken(ctx) : undefined;
  const limited = checked ? checked.reply?.status === 429 && checked.reply : limit(ctx, undefined);
  if (limited) return limited;
  const tokenValid = checked?.key !== undefined;
  ctx.outcome = tokenValid ? 'apiCall' : 'none';
  let body: unknown;
  if (ctx.rawBody !== '') {
    try {
      body = JSON.parse(ctx.rawBody);
    } catch {
      body = ctx.rawBody;
    }
  }
  return json(200, {
    method: ctx.method,
    path: ctx.path,
    query: Object.fromEntries(ctx.query),
    headers: redactHeaders(ctx.headers),
    body: body ?? null,
    tokenValid,
  });
}
