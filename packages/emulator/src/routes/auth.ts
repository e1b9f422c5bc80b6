import { header, type RequestContext } from '../context.js';
import type { EmulatorKey } from '../keys.js';
import { resolveAccount } from '../keys.js';
import { limit, type Reply, reject } from '../reply.js';
import { tokenFromAuthorization } from '../tokens.js';

/**
 * The message Lacework is seen to send for a bad token: a go-sdk CLI test mocks it
 * (`cli/cmd/package_manifest_test.go`), and the CLI drops its cached token on any 403
 * (`cli/cmd/cli_state.go`).
 */
export const NOT_AUTHORIZED = 'User not authorized.';

/** Checks the token's validity only; counts the request against the right rate-limit bucket. */
export function checkToken(
  ctx: RequestContext,
): { key: EmulatorKey; reply?: undefined } | { key?: undefined; reply: Reply } {
  const authorization = header(ctx, 'authorization');
  const token = tokenFromAuthorization(authorization, ctx.state.bareTokens);
  if (token === undefined) {
    const message = authorization?.trim()
      ? 'Authorization must be "Bearer <token>".'
      : 'Missing Authorization header.';
    return { reply: limit(ctx, undefined) ?? reject(ctx, 401, message) };
  }
  const checked = ctx.state.tokens.check(token);
  const key = checked.keyId === undefined ? undefined : ctx.state.keys.get(checked.keyId);
  if (key) ctx.keyId = key.keyId;
  const limited = limit(ctx, key?.keyId);
  if (limited) return { reply: limited };
  // Expired, revoked and unknown tokens all get the same 403: clients must refresh once and retry.
  if (!checked.ok || !key) return { reply: reject(ctx, 403, NOT_AUTHORIZED) };
  return { key };
}

/** Token plus `Account-Name` / `Org-Access` checks, as every token-checked route does. */
export function authorize(
  ctx: RequestContext,
): { key: EmulatorKey; reply?: undefined } | { key?: undefined; reply: Reply } {
  const checked = checkToken(ctx);
  if (!checked.key) return checked;
  const { key } = checked;
  const account = resolveAccount(key, header(ctx, 'account-name'));
  if (account === undefined) return { reply: reject(ctx, 403, NOT_AUTHORIZED) };
  ctx.account = account;
  if (header(ctx, 'org-access')?.toLowerCase() === 'true' && !key.orgAccess) {
    return { reply: reject(ctx, 403, NOT_AUTHORIZED) };
  }
  return { key };
}
