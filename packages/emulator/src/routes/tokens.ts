import { timingSafeEqual } from 'node:crypto';
import { header, isJsonContentType, type RequestContext } from '../context.js';
import { resolveAccount } from '../keys.js';
import { json, limit, type Reply, reject } from '../reply.js';

/** Lacework's documented default `expiryTime`, in seconds. */
export const DEFAULT_EXPIRY_TIME = 3600;
/** Lacework's documented cap on `expiryTime` (24 h), in seconds. */
export const MAX_EXPIRY_TIME = 86400;

const BAD_KEY = 'Invalid Access Key ID or Secret Key.';

function parseBody(ctx: RequestContext): { keyId?: string; expiryTime?: number; error?: string } {
  if (!isJsonContentType(ctx)) return { error: 'Content-Type must be application/json.' };
  let body: unknown;
  try {
    body = JSON.parse(ctx.rawBody);
  } catch {
    return { error: 'Request body is not valid JSON.' };
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { error: 'Request body must be a JSON object with keyId and expiryTime.' };
  }
  const { keyId, expiryTime } = body as Record<string, unknown>;
  if (typeof keyId !== 'string' || keyId === '') {
    return { error: 'keyId is required and must be a non-empty string.' };
  }
  if (expiryTime === undefined) return { keyId, expiryTime: DEFAULT_EXPIRY_TIME };
  if (
    typeof expiryTime !== 'number' ||
    !Number.isInteger(expiryTime) ||
    expiryTime < 1 ||
    expiryTime > MAX_EXPIRY_TIME
  ) {
    return { keyId, error: `expiryTime must be an integer from 1 to ${MAX_EXPIRY_TIME} seconds.` };
  }
  return { keyId, expiryTime };
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * `POST /api/v2/access/tokens`: `X-LW-UAKS: <secret>` + `{"keyId", "expiryTime"}` →
 * 201 `{"expiresAt": "…sss Z", "token"}`.
 */
export function exchangeToken(ctx: RequestContext): Reply {
  const parsed = parseBody(ctx);
  const key = parsed.keyId === undefined ? undefined : ctx.state.keys.get(parsed.keyId);
  if (key) ctx.keyId = key.keyId;
  const limited = limit(ctx, key?.keyId);
  if (limited) return limited;
  if (parsed.error !== undefined || parsed.expiryTime === undefined) {
    return reject(ctx, 400, parsed.error);
  }
  const secret = header(ctx, 'x-lw-uaks');
  if (secret === undefined || secret === '') {
    return reject(ctx, 401, 'Missing X-LW-UAKS header (the API key secret).');
  }
  // Unknown keyId and wrong secret answer alike, so the endpoint does not reveal which keys exist.
  if (!key || !sameSecret(secret, key.secret)) return reject(ctx, 401, BAD_KEY);
  const account = resolveAccount(key, header(ctx, 'account-name'));
  if (account === undefined) {
    return reject(ctx, 403, 'User not authorized for the account named in Account-Name.');
  }
  ctx.account = account;
  if (header(ctx, 'org-access')?.toLowerCase() === 'true' && !key.orgAccess) {
    return reject(ctx, 403, 'User not authorized for organization-level access.');
  }
  const { token, expiresAt } = ctx.state.tokens.issue(key.keyId, parsed.expiryTime);
  ctx.outcome = 'exchange';
  return json(ctx.state.tokenStatus, { expiresAt: new Date(expiresAt).toISOString(), token });
}
