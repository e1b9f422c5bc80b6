import { HEADERS, RATE_LIMIT_PER_HOUR } from './constants.js';
import {
  HttpError,
  type LaceworkAuthError,
  RateLimitedError,
  ServerError,
  UnauthorizedError,
} from './errors.js';
import { type HeaderReader, parseRetryAfter } from './retry.js';
import { serverMessage } from './server-message.js';

/**
 * How long a route that refused a freshly exchanged token gets no new exchange on 401/403, in ms
 * (5 minutes). A fresh token being refused means the key lacks permission for the route, not that
 * the token is stale; exchanging again on every refusal would spend the key's rate limit (about
 * 480 requests/hour, token requests included) one exchange per request.
 */
export const PERMISSION_COOLDOWN_MS = 5 * 60_000;

/** What a Lacework API request carries besides its own headers. */
export interface ApiCredentials {
  token: string;
  subAccount?: string | undefined;
  orgAccess?: boolean | undefined;
}

/**
 * The headers of a Lacework API v2 request: `Authorization: Bearer <token>`, plus `Account-Name`
 * for a sub-account and `Org-Access: true` for organization-level access (lacework/go-sdk
 * `api/http.go`, `NewRequest`).
 */
export function apiHeaders(credentials: ApiCredentials): Record<string, string> {
  const headers: Record<string, string> = {
    [HEADERS.authorization]: `Bearer ${credentials.token}`,
  };
  if (credentials.subAccount) headers[HEADERS.accountName] = credentials.subAccount;
  if (credentials.orgAccess === true) headers[HEADERS.orgAccess] = 'true';
  return headers;
}

/**
 * True for the statuses Lacework gives a token it no longer takes: 401, and 403 ("User not
 * authorized.") for an expired or revoked token. Both mean: replace the token once and retry
 * once; a fresh token refused too means the key lacks permission.
 */
export function isTokenRefusal(status: number): boolean {
  return status === 401 || status === 403;
}

const IDEMPOTENT = ['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS'];

/**
 * True for a path of the Lacework API v2 (`/api/v2` and below) that no server can read as a path
 * outside it: no dot segment (`.`, `..`, also percent-encoded) and no encoded slash or backslash.
 * Only requests to such paths get the token.
 */
export function isApiPath(path: string): boolean {
  if (path !== '/api/v2' && path.indexOf('/api/v2/') !== 0) return false;
  return !/(^|\/)(\.|%2e){1,2}(\/|$)|%2f|%5c/i.test(path);
}

/** True for `POST …/search` (Lacework's searches read, and answer 204 when nothing matches). */
export function isSearch(method: string, path: string): boolean {
  return method.toUpperCase() === 'POST' && /\/search\/?$/i.test(path);
}

/**
 * Whether a request may be sent again after a 5xx or a network error: idempotent methods, and
 * `POST …/search`, which only reads. (429 is retried for every method: nothing was done.)
 */
export function isRepeatable(method: string, path: string): boolean {
  return IDEMPOTENT.includes(method.toUpperCase()) || isSearch(method, path);
}

/** A failed API answer, as the runtime read it. */
export interface ApiAnswer {
  status: number;
  method: string;
  url: string;
  /** The route's path, e.g. `/api/v2/UserProfile`. */
  path: string;
  body: string;
  headers: HeaderReader;
  /** Tokens the request carried: a server message that echoes one is withheld. */
  tokens: readonly string[];
}

/**
 * The error for a non-2xx API answer (after the 401/403 refresh and the retries):
 *
 * | status | code |
 * | --- | --- |
 * | 401, 403 (a fresh token refused too) | `ERR_LW_UNAUTHORIZED` |
 * | 429 | `ERR_LW_RATE_LIMITED` with `retryAfterMs` |
 * | 5xx | `ERR_LW_SERVER` |
 * | any other | `ERR_LW_HTTP` |
 */
export function apiFailure(answer: ApiAnswer, now = Date.now()): LaceworkAuthError {
  const { status } = answer;
  const method = answer.method.toUpperCase();
  const said = serverMessage(answer.body, answer.tokens);
  const because = said ? `: "${said}"` : '';
  const where = `${method} ${answer.path}`;
  const details = { status, method, url: answer.url };
  if (isTokenRefusal(status)) {
    return new UnauthorizedError(
      `The API key lacks permission for ${where}: Lacework refused it (HTTP ${status}${because}) even with a freshly exchanged token. Give the key's user access to this resource (and sub-account, if one is set) or use another key. For the next ${PERMISSION_COOLDOWN_MS / 60_000} minutes, refusals on this route fail at once without a token exchange, to spare the rate limit.`,
      details,
    );
  }
  if (status === 429) {
    const retryAfterMs = parseRetryAfter(answer.headers, now);
    return new RateLimitedError(
      `Lacework rate-limited ${where} (HTTP 429${because}).${retryAfterMs === undefined ? '' : ` Retry after ${Math.ceil(retryAfterMs / 1000)} s.`} The limit is about ${RATE_LIMIT_PER_HOUR} requests/hour per user.`,
      { ...details, retryAfterMs },
    );
  }
  if (status >= 500) {
    return new ServerError(
      `Lacework failed on ${where} (HTTP ${status}${because}); try again later.`,
      details,
    );
  }
  return new HttpError(`Lacework answered ${where} with HTTP ${status}${because}.`, details);
}
