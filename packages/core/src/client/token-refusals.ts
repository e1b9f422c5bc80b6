import { PERMISSION_COOLDOWN_MS } from '../protocol/api.js';
import type { TokenProvider } from '../provider/token-provider.js';
import { canonicalRoute } from './canonical-route.js';

export { PERMISSION_COOLDOWN_MS } from '../protocol/api.js';

/**
 * The one rule for an API request refused with 401/403, shared by `createLaceworkClient` and
 * `@lacework-auth/express`: replace the token once and retry once; when the replacement is refused
 * too, refusals on that route get no new exchange for {@link PERMISSION_COOLDOWN_MS}. Routes are
 * `METHOD /path` (no query). Keying by route rather than by token keeps other routes able to
 * replace a token that was revoked meanwhile. The cooldown holds for the token the route refused
 * (and for tokens exchanged because of a refusal since, which are as fresh); once the provider
 * moved on to another token by itself (refresh ahead of expiry, `forceRefresh`, `invalidate()`),
 * a refusal of that token on the route may mean it was revoked, and gets one new exchange again.
 */
export interface TokenRefusals {
  /**
   * After Lacework refused `refused` (401/403) on `route`: a token to retry with, or `undefined`
   * when a new token cannot help because `route` refused a fresh token (see
   * {@link TokenRefusals.refusedAfterReplace}) less than {@link PERMISSION_COOLDOWN_MS} ago and
   * `refused` is that token (or one exchanged after a refusal since).
   * Concurrent callers with the same refused token share one forced exchange; a caller whose
   * token was already replaced gets the current one without another exchange.
   */
  replace(refused: string, route: string): Promise<string | undefined>;
  /**
   * The retry on `route` with `token` from {@link TokenRefusals.replace} was refused too: Lacework
   * is refusing the request (permissions), not the token. Without `token`, the one `replace` last
   * handed out.
   */
  refusedAfterReplace(route: string, token?: string): void;
}

const byProvider = new WeakMap<TokenProvider, TokenRefusals>();

/**
 * The {@link TokenRefusals} of `provider`: one per provider object, so every client (and the
 * express proxy) built on the same provider shares the cooldown.
 *
 * @example
 * ```ts
 * const refusals = tokenRefusalsFor(provider);
 * const retryWith = await refusals.replace(token, 'GET /api/v2/CloudAccounts'); // after a 401/403
 * if (retryWith === undefined) throw new Error('the key lacks permission for this route');
 * ```
 */
export function tokenRefusalsFor(provider: TokenProvider): TokenRefusals {
  let refusals = byProvider.get(provider);
  if (refusals === undefined) {
    refusals = createTokenRefusals(provider);
    byProvider.set(provider, refusals);
  }
  return refusals;
}

// Enough for any real dashboard; a client hammering endless distinct forbidden paths still
// spends at most one exchange per path per cooldown.
const MAX_DENIED_ROUTES = 256;

function createTokenRefusals(provider: TokenProvider): TokenRefusals {
  let pending: { refused: string; token: Promise<string> } | undefined;
  // The last token a forced exchange here produced, and when.
  let exchanged: { token: string; at: number } | undefined;
  // The last token `replace` handed out (for `refusedAfterReplace` callers that do not say).
  let handedOut: string | undefined;
  // route → the fresh token it refused, and when; insertion order is age order.
  const denied = new Map<string, { token: string | undefined; at: number }>();
  const isDenied = (route: string, refused: string) => {
    const entry = denied.get(route);
    if (entry === undefined) return false;
    if (Date.now() - entry.at >= PERMISSION_COOLDOWN_MS) {
      denied.delete(route);
      return false;
    }
    if (entry.token === undefined || entry.token === refused) return true;
    // Exchanged because some route refused its predecessor, after this route's refusal: as fresh
    // as the token this route refused, so its refusal here is the same missing permission.
    if (exchanged?.token === refused && exchanged.at >= entry.at) return true;
    // A token the provider moved on to by itself may have been revoked since: worth one exchange.
    return false;
  };
  const handOut = (token: string) => {
    handedOut = token;
    return token;
  };
  return {
    async replace(refused, spelledRoute) {
      const route = canonicalRoute(spelledRoute);
      if (pending?.refused === refused) return pending.token.then(handOut);
      const current = (await provider.getToken()).token;
      if (current !== refused) return handOut(current);
      // Another caller may have started the forced exchange while we awaited.
      if (pending?.refused === refused) return pending.token.then(handOut);
      if (isDenied(route, refused)) return undefined;
      const token = provider.getToken({ forceRefresh: true }).then((fresh) => {
        exchanged = { token: fresh.token, at: Date.now() };
        return fresh.token;
      });
      const entry = { refused, token };
      pending = entry;
      // A failed exchange must not be remembered: the next refusal tries again.
      token.catch(() => {
        if (pending === entry) pending = undefined;
      });
      return token.then(handOut);
    },
    refusedAfterReplace(spelledRoute, token) {
      const route = canonicalRoute(spelledRoute);
      denied.delete(route);
      denied.set(route, { token: token ?? handedOut, at: Date.now() });
      if (denied.size > MAX_DENIED_ROUTES) {
        const oldest = denied.keys().next().value;
        if (oldest !== undefined) denied.delete(oldest);
      }
    },
  };
}
