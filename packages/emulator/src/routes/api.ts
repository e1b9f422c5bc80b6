import { isJsonContentType, type RequestContext } from '../context.js';
import type { EmulatorKey } from '../keys.js';
import { reject } from '../limit.js';
import { json, type Reply } from '../reply.js';
import { authorize } from './auth.js';
import { cloudAccounts, parseAlertSearch, searchAlerts, userProfile } from './data.js';

/** Bearer-checked v2 routes: path → allowed method and handler. */
export const API_ROUTES: Record<
  string,
  { method: string; handle: (ctx: RequestContext) => Reply }
> = {
  '/api/v2/UserProfile': { method: 'GET', handle: (ctx) => guarded(ctx, getUserProfile) },
  '/api/v2/CloudAccounts': { method: 'GET', handle: (ctx) => guarded(ctx, getCloudAccounts) },
  '/api/v2/Alerts/search': { method: 'POST', handle: (ctx) => guarded(ctx, postAlertSearch) },
};

type Handler = (ctx: RequestContext, key: EmulatorKey, account: string) => Reply;

function guarded(ctx: RequestContext, handler: Handler): Reply {
  const auth = authorize(ctx);
  if (!auth.key) return auth.reply;
  const reply = handler(ctx, auth.key, ctx.account ?? auth.key.account);
  if (ctx.outcome === 'none') ctx.outcome = 'apiCall';
  return reply;
}

const getUserProfile: Handler = (_ctx, key) => json(200, userProfile(key));

const getCloudAccounts: Handler = (_ctx, _key, account) => json(200, cloudAccounts(account));

const postAlertSearch: Handler = (ctx) => {
  if (!isJsonContentType(ctx)) return reject(ctx, 400, 'Content-Type must be application/json.');
  let body: unknown;
  try {
    body = ctx.rawBody === '' ? {} : JSON.parse(ctx.rawBody);
  } catch {
    return reject(ctx, 400, 'Request body is not valid JSON.');
  }
  const now = Date.now();
  const search = parseAlertSearch(body, now);
  if ('error' in search) return reject(ctx, 400, search.error);
  return json(200, searchAlerts(search, now));
};
