import type { TokenProvider } from './token-provider.js';

/**
 * How long a route that refused a freshly exchanged token gets no new exchange on 401/403, in ms
 * (5 minutes). A fresh token being refused means the key lacks permission for the route, not that
 * the token is stale; exchanging again on every refusal would spend the key's rate limit (about
 * 480 requests/hour, token requests included) one exchange per request.
 */
export const PERMISSION_COOLDOWN_MS = 5 * 60_000;

/**
 * The one rule for an API request refused with 401/403, shared by `createLaceworkClient` and
 * `@lacework-auth/express`: replace the token once and retry once; when the replacement is refused
 * too, refusals on that route get no new exchange for {@link PERMISSION_COOLDOWN_MS}. Routes are
 * `METHOD /path` (no query). Keying by route rather than by token keeps other routes able to
 * replace a token that was revoked meanwhile.
 */
export interface TokenRefusals {
  /**
   * After Lacework refused `refused` (401/403) on `route`: a token to retry with, or `undefined`
   * when a new token cannot help because `route` refused a fresh token (see
   * {@link TokenRefusals.refusedAfterReplace}) less than {@link PERMISSION_COOLDOWN_MS} ago.
   * Concurrent callers with the same refused token share one forced exchange; a caller whose
   * token was already replaced gets the current one without another exchange.
   */
  replace(refused: string, route: string): Promise<string | undefined>;
  /**
   * The retry on `route` with a token from {@link TokenRefusals.replace} was refused too: Lacework
   * is refusing the request (permissions), not the token.
   */
  refusedAfterReplace(route: string): void;
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
  // route → when it refused a fresh token; insertion order is age order.
  const denied = new Map<string, number>();
  const isDenied = (route: string) => {
    const at = denied.get(route);
    if (at === undefined) return false;
    if (Date.now() - at < PERMISSION_COOLDOWN_MS) return true;
    denied.delete(route);
    return false;
  };
  return {
    async replace(refused, route) {
      if (pending?.refused === refused) return pending.token;
      const current = (await provider.getToken()).token;
      if (current !== refused) return current;
      // Another caller may have started the forced exchange while we awaited.
      if (pending?.refused === refused) return pending.token;
      if (isDenied(route)) return undefined;
      const token = provider.getToken({ forceRefresh: true }).then((fresh) => fresh.token);
      const entry = { refused, token };
      pending = entry;
      // A failed exchange must not be remembered: the next refusal tries again.
      token.catch(() => {
        if (pending === entry) pending = undefined;
      });
      return token;
    },
    refusedAfterReplace(route) {
      denied.delete(route);
      denied.set(route, Date.now());
      if (denied.size > MAX_DENIED_ROUTES) {
        const oldest = denied.keys().next().value;
        if (oldest !== undefined) denied.delete(oldest);
      }
    },
  };
}
