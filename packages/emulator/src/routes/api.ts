import { header, isJsonContentType, type RequestContext } from '../context.js';
import type { EmulatorKey } from '../keys.js';
import { NEXT_PAGE_PREFIX } from '../paging.js';
import { json, message, noContent, type Reply, reject } from '../reply.js';
import { parseSearch, parseWindow, runSearch } from '../search.js';
import { authorize } from './auth.js';
import { CLOUD_ACCOUNT_TYPES, cloudAccounts, sampleAlerts, userProfile } from './data.js';

type Handler = (ctx: RequestContext, key: EmulatorKey, account: string, param: string) => Reply;

/** A token-checked v2 route: its method and handler; `param` is the path's last segment. */
export interface ApiRoute {
  method: string;
  handle: (ctx: RequestContext) => Reply;
}

const EXACT: Record<string, { method: string; handler: Handler }> = {
  '/api/v2/UserProfile': { method: 'GET', handler: (_ctx, key) => json(200, userProfile(key)) },
  '/api/v2/CloudAccounts': {
    method: 'GET',
    handler: (_ctx, _key, account) => json(200, { data: cloudAccounts(account) }),
  },
  '/api/v2/Alerts': { method: 'GET', handler: (ctx, key, account) => getAlerts(ctx, key, account) },
  '/api/v2/Alerts/search': {
    method: 'POST',
    handler: (ctx, key, account) => searchAlerts(ctx, key, account),
  },
};

/** Routes ending in one path segment of their own: `CloudAccounts/{type or intgGuid}`, `NextPage/{id}`. */
const PREFIXED: [string, { method: string; handler: Handler }][] = [
  ['/api/v2/CloudAccounts/', { method: 'GET', handler: getCloudAccount }],
  [NEXT_PAGE_PREFIX, { method: 'GET', handler: getNextPage }],
];

/** The v2 route serving `path`, if any. */
export function findApiRoute(path: string): ApiRoute | undefined {
  let found = EXACT[path] && { ...EXACT[path], param: '' };
  for (const [prefix, route] of PREFIXED) {
    const rest = path.slice(prefix.length);
    if (!found && path.startsWith(prefix) && rest !== '' && !rest.includes('/')) {
      found = { ...route, param: safeDecode(rest) };
    }
  }
  if (!found) return undefined;
  const { method, handler, param } = found;
  return { method, handle: (ctx) => guarded(ctx, handler, param) };
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function guarded(ctx: RequestContext, handler: Handler, param: string): Reply {
  const auth = authorize(ctx);
  if (!auth.key) return auth.reply;
  const reply = handler(ctx, auth.key, ctx.account ?? auth.key.account, param);
  if (ctx.outcome === 'none') ctx.outcome = 'apiCall';
  return reply;
}

/** Where the client reached us, so that `nextPage` works from there. */
function baseUrl(ctx: RequestContext): string {
  const host = header(ctx, 'host');
  return host && /^[\w.:[\]-]+$/.test(host) ? `http://${host}` : ctx.state.url;
}

function paged(ctx: RequestContext, key: EmulatorKey, account: string, rows: unknown[]): Reply {
  return json(200, ctx.state.pages.first(rows, { keyId: key.keyId, account }, baseUrl(ctx)));
}

/** `GET Alerts?startTime=&endTime=` (go-sdk `ListByTime`, python-sdk `alerts.get`): an empty list is 200. */
function getAlerts(ctx: RequestContext, key: EmulatorKey, account: string): Reply {
  const now = Date.now();
  const window = parseWindow(
    ctx.query.get('startTime') ?? undefined,
    ctx.query.get('endTime') ?? undefined,
    now,
    '',
  );
  if ('error' in window) return reject(ctx, 400, window.error);
  const rows = sampleAlerts(now).filter((a) => {
    const t = Date.parse(a.startTime);
    return t >= window.start && t <= window.end;
  });
  return paged(ctx, key, account, rows);
}

/** `POST Alerts/search`: no match is 204 with no body, as Lacework answers empty searches. */
function searchAlerts(ctx: RequestContext, key: EmulatorKey, account: string): Reply {
  if (!isJsonContentType(ctx)) return reject(ctx, 400, 'Content-Type must be application/json.');
  let body: unknown;
  try {
    body = ctx.rawBody === '' ? {} : JSON.parse(ctx.rawBody);
  } catch {
    return reject(ctx, 400, 'Request body is not valid JSON.');
  }
  const now = Date.now();
  const search = parseSearch(body, now);
  if ('error' in search) return reject(ctx, 400, search.error);
  const rows = runSearch(sampleAlerts(now), search, 'startTime');
  return rows.length === 0 ? noContent() : paged(ctx, key, account, rows);
}

/** `GET CloudAccounts/{intgGuid}` → `{data: {...}}`; `GET CloudAccounts/{type}` → `{data: [...]}`. */
function getCloudAccount(ctx: RequestContext, _key: EmulatorKey, account: string, param: string) {
  const all = cloudAccounts(account);
  const one = all.find((a) => a.intgGuid === param);
  if (one) return json(200, { data: one });
  if (CLOUD_ACCOUNT_TYPES.includes(param)) {
    return json(200, { data: all.filter((a) => a.type === param) });
  }
  // The go-sdk tests mock an unknown GUID as 404 {"message": "Not Found"}.
  ctx.outcome = 'rejected';
  return message(404, 'Not Found');
}

/** `GET NextPage/{id}`: the page behind a `nextPage` URL, for the key and account that asked. */
function getNextPage(ctx: RequestContext, key: EmulatorKey, account: string, id: string) {
  const page = ctx.state.pages.next(id, { keyId: key.keyId, account }, baseUrl(ctx));
  if (page) return json(200, page);
  ctx.outcome = 'rejected';
  return message(404, 'This page does not exist or has expired; run the search again.');
}
