import { resolveBaseUrl } from './base-url.js';
import { DEFAULT_EXPIRY_TIME, HEADERS, RATE_LIMIT_PER_HOUR, TOKEN_PATH } from './constants.js';
import {
  BadResponseError,
  KeyRejectedError,
  type LaceworkAuthError,
  RateLimitedError,
  ServerError,
} from './errors.js';
import { keyIdHint, redactText, SAFE_INPUT, showInput } from './redact.js';
import { type HeaderReader, parseRetryAfter } from './retry.js';
import { looksLikeHtml, serverMessage } from './server-message.js';
import { readHttpUrl } from './url.js';
import { validateExpiryTime, validateHeaderValue } from './validate.js';

/** Everything the token request is made of. Validated by {@link tokenRequest}. */
export interface TokenRequestInput {
  /** API base URL, e.g. `https://acme.lacework.net` (see `resolveBaseUrl`). */
  baseUrl: string;
  keyId: string;
  secret: string;
  /** Sent as `Account-Name` (the Go SDK sends it on the token request too). */
  subAccount?: string | undefined;
  /** Sends `Org-Access: true`. */
  orgAccess?: boolean | undefined;
  /** Token lifetime in seconds, 1..86400. @default 3600 */
  expiryTime?: number | undefined;
  /** Sent as `User-Agent` when given. */
  userAgent?: string | undefined;
}

/** The token request as it goes on the wire: `POST <baseUrl>/api/v2/access/tokens`. */
export interface TokenRequest {
  method: 'POST';
  url: string;
  /** Header names as {@link HEADERS} spells them. `X-LW-UAKS` holds the secret: never log it. */
  headers: Record<string, string>;
  /** `{"keyId": "...", "expiryTime": <seconds>}`. */
  body: string;
  /** The validated inputs, for {@link readTokenAnswer}. */
  keyId: string;
  secret: string;
  subAccount: string | undefined;
  expiryTime: number;
}

/**
 * The token request for a key: `POST <baseUrl>/api/v2/access/tokens` with `X-LW-UAKS: <secret>`,
 * `Content-Type: application/json`, `Accept: application/json`, `Account-Name` for a sub-account,
 * `Org-Access: true` for organization-level access, and `{"keyId", "expiryTime"}`. Sources:
 * Lacework's API docs (api-access-keys-and-tokens), lacework/go-sdk `api/auth.go` (body and
 * `X-LW-UAKS`) and `api/http.go` (`Account-Name` / `Org-Access` on every request, the token
 * request included).
 *
 * The secret goes only to https hosts or loopback http: the base URL is checked again here.
 *
 * @throws {LaceworkAuthError} `ERR_LW_INVALID_OPTION` (a value unusable in a header, an expiry
 *   outside 1..86400), `ERR_LW_INVALID_BASE_URL`
 */
export function tokenRequest(input: TokenRequestInput): TokenRequest {
  const keyId = validateHeaderValue(input.keyId, 'keyId');
  const secret = validateHeaderValue(input.secret, 'secret');
  const subAccount =
    input.subAccount === undefined
      ? undefined
      : validateHeaderValue(input.subAccount, 'subAccount');
  const expiryTime = validateExpiryTime(input.expiryTime ?? DEFAULT_EXPIRY_TIME);
  const url = `${resolveBaseUrl(input.baseUrl, { allowAnyHost: true })}${TOKEN_PATH}`;
  const headers: Record<string, string> = {
    [HEADERS.secret]: secret,
    [HEADERS.contentType]: 'application/json',
    [HEADERS.accept]: 'application/json',
  };
  if (input.userAgent) headers[HEADERS.userAgent] = input.userAgent;
  if (subAccount) headers[HEADERS.accountName] = subAccount;
  if (input.orgAccess === true) headers[HEADERS.orgAccess] = 'true';
  const body = JSON.stringify({ keyId, expiryTime });
  return { method: 'POST', url, headers, body, keyId, secret, subAccount, expiryTime };
}

/** An answer of the token endpoint, read by the runtime. */
export interface HttpAnswer {
  status: number;
  /** The body as text (`''` when there is none or it could not be read). */
  body: string;
  headers: HeaderReader;
}

/** How messages name the settings a user fixes; each runtime names its own. */
export interface ExchangeWording {
  /** What to check when the key is rejected. */
  key: string;
  /** The setting that holds the account or base URL. */
  baseUrl: string;
  /** How to avoid rate limits. */
  rateLimit: string;
}

/** The wording of `@lacework-auth/core`. */
export const CORE_WORDING: ExchangeWording = {
  key: 'the keyId and secret (LW_API_KEY / LW_API_SECRET, your ~/.lacework.toml profile or key file) and the account',
  baseUrl: 'the account or `baseUrl`',
  rateLimit: 'cache tokens with a `store` instead of exchanging per call',
};

/** What {@link readTokenAnswer} needs besides the answer. */
export interface AnswerContext {
  /** The token request that was answered. */
  request: Pick<TokenRequest, 'url' | 'keyId' | 'secret' | 'subAccount' | 'expiryTime'>;
  /** Local time (ms) the request was sent. */
  requestedAt: number;
  /** Local time (ms) now. @default Date.now() */
  now?: number | undefined;
  wording?: ExchangeWording | undefined;
}

/** A token read from a 2xx answer. */
export interface TokenAnswer {
  token: string;
  /**
   * When the token expires (ms since the epoch): the earlier of Lacework's `expiresAt` and the
   * local request time + `expiryTime`, robust to a clock skew between this machine and Lacework.
   */
  expiresAt: number;
  /** Local time (ms) the request was sent; `expiresAt - requestedAt` is the token lifetime. */
  requestedAt: number;
  /** A warning for the user (code `LW_CLOCK_SKEW`): this machine's clock is ahead of Lacework's. */
  warning?: string | undefined;
}

/**
 * Reads the token endpoint's answer: a token (2xx with `{"token", "expiresAt"}`), else the error
 * the status stands for. Status → error code (the one table every runtime follows):
 *
 * | status | code |
 * | --- | --- |
 * | 2xx with a usable token and `expiresAt` | (a token) |
 * | 2xx without | `ERR_LW_BAD_RESPONSE` |
 * | 400, 401, 403 | `ERR_LW_KEY_REJECTED` (Lacework does not document which one a bad key gets) |
 * | 429 | `ERR_LW_RATE_LIMITED`, with `retryAfterMs` from `Retry-After` / `RateLimit-Reset` |
 * | 5xx | `ERR_LW_SERVER` |
 * | 3xx | `ERR_LW_BAD_RESPONSE` (never followed: it would carry the secret elsewhere) |
 * | any other | `ERR_LW_BAD_RESPONSE` |
 *
 * @throws {LaceworkAuthError} as in the table; messages never hold the secret or the token
 */
export function readTokenAnswer(answer: HttpAnswer, context: AnswerContext): TokenAnswer {
  if (answer.status >= 200 && answer.status < 300) return parseToken(answer, context);
  throw tokenFailure(answer, context);
}

/** Whether a failed exchange is worth another attempt (429 within `maxRetryAfter`, 5xx, network). */
export function isRetryableExchangeFailure(
  error: LaceworkAuthError,
  maxRetryAfter: number,
): boolean {
  return (
    error.code === 'ERR_LW_SERVER' ||
    error.code === 'ERR_LW_NETWORK' ||
    (error.code === 'ERR_LW_RATE_LIMITED' && (error.retryAfterMs ?? 0) <= maxRetryAfter)
  );
}

function tokenFailure(answer: HttpAnswer, context: AnswerContext): LaceworkAuthError {
  const { status } = answer;
  const { url, keyId, secret, subAccount } = context.request;
  const wording = context.wording ?? CORE_WORDING;
  const said = serverMessage(answer.body, [secret]);
  const because = said ? `: "${said}"` : '';
  const details = { status, method: 'POST', url };
  const key = `\`${keyIdHint(keyId)}\``;
  if (status === 400 || status === 401 || status === 403) {
    const subHint =
      status === 403 && subAccount
        ? ` If the key is valid, check that sub-account ${showInput(subAccount, SAFE_INPUT.name)} exists and the key's user may access it.`
        : '';
    return new KeyRejectedError(
      `Lacework rejected the API key ${key} (HTTP ${status}${because}). Check ${wording.key}, or create a new key under Settings → API keys.${subHint}`,
      details,
    );
  }
  if (status === 429) {
    const retryAfterMs = parseRetryAfter(answer.headers, context.now ?? Date.now());
    const wait =
      retryAfterMs === undefined ? '' : ` Retry after ${Math.ceil(retryAfterMs / 1000)} s.`;
    return new RateLimitedError(
      `Lacework rate-limited the token exchange for key ${key} (HTTP 429${because}). The limit (about ${RATE_LIMIT_PER_HOUR} requests/hour per user) includes token requests: ${wording.rateLimit}.${wait}`,
      { ...details, retryAfterMs },
    );
  }
  if (status >= 500) {
    return new ServerError(
      `The Lacework token endpoint failed with HTTP ${status}${because}. This is on Lacework's side; try again later.`,
      details,
    );
  }
  if (status >= 300 && status < 400) {
    const location = answer.headers.get('location');
    return new BadResponseError(
      `The token endpoint redirected (HTTP ${status}${location ? ` to ${safeLocation(location, secret)}` : ''}). The secret is not sent across redirects; set ${wording.baseUrl} to the final host.`,
      details,
    );
  }
  return new BadResponseError(
    `The token endpoint answered HTTP ${status}${because}, which Lacework does not use for token requests. Check that ${wording.baseUrl} points at the Lacework API.`,
    details,
  );
}

// Only the origin: a path, query or fragment can echo the secret, and so can a host name.
function safeLocation(location: string, secret: string): string {
  // User info is dropped first: it names no place, and may hold the secret.
  const origin = readHttpUrl(location.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#]*@/i, '$1'))?.origin;
  return origin === undefined ? 'another location' : redactText(origin, [secret]);
}

// Lacework's format: `2021-09-28T21:57:15.494Z` (the Python SDK needs the fraction; we do not).
const ISO_DATE = /^\d{4}-\d{2}-\d{2}T/;

function parseToken(answer: HttpAnswer, context: AnswerContext): TokenAnswer {
  const { status } = answer;
  const { url, expiryTime } = context.request;
  const wording = context.wording ?? CORE_WORDING;
  const details = { status, method: 'POST', url };
  const body = answer.body;
  if (looksLikeHtml(body, answer.headers.get('content-type') ?? null)) {
    throw new BadResponseError(
      `The token endpoint answered HTTP ${status} with an HTML page instead of JSON. ${upperFirst(wording.baseUrl)} probably points at a web page, captive portal or proxy login, not the Lacework API.`,
      details,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new BadResponseError(
      `The token endpoint answered HTTP ${status} with a body that is not JSON (${body.length === 0 ? 'empty' : `${body.length} bytes`}). Check that ${wording.baseUrl} points at the Lacework API.`,
      details,
    );
  }
  const record = (json !== null && typeof json === 'object' ? json : {}) as Record<string, unknown>;
  const token = record.token;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: a token must be usable in a header
  if (typeof token !== 'string' || token.length === 0 || /[\u0000-\u0020\u007f]/.test(token)) {
    throw new BadResponseError(
      `The token endpoint answered HTTP ${status} without a usable \`token\` field. Check that ${wording.baseUrl} points at the Lacework API v2.`,
      details,
    );
  }
  const rawExpiry = record.expiresAt;
  const serverExpiry = typeof rawExpiry === 'string' ? Date.parse(rawExpiry) : Number.NaN;
  if (typeof rawExpiry !== 'string' || Number.isNaN(serverExpiry) || !ISO_DATE.test(rawExpiry)) {
    throw new BadResponseError(
      `The token endpoint answered HTTP ${status} with ${typeof rawExpiry === 'string' ? 'an unreadable' : 'no'} \`expiresAt\` (expected an ISO date such as 2026-01-31T12:00:00.000Z).`,
      details,
    );
  }
  const now = context.now ?? Date.now();
  const localExpiry = context.requestedAt + expiryTime * 1000;
  let trusted: { expiresAt: number; warning?: string } = { expiresAt: serverExpiry };
  if (serverExpiry <= now) {
    trusted = skewedExpiry(serverExpiry, answer.headers.get('date'), context, now, details);
  }
  const expiresAt = Math.min(trusted.expiresAt, localExpiry);
  if (expiresAt <= now) {
    throw new BadResponseError(
      `The token exchange took ${now - context.requestedAt} ms, longer than the requested lifetime (\`expiryTime\` ${expiryTime} s). Ask for a longer \`expiryTime\`.`,
      details,
    );
  }
  return { token, expiresAt, requestedAt: context.requestedAt, warning: trusted.warning };
}

/**
 * The local expiry of a token whose `expiresAt` has already passed by this machine's clock: the
 * clock is ahead of Lacework's by the token lifetime or more. With a `Date` header the server's
 * clock is known to the second, and `expiresAt` is moved onto ours, erring early (the header is
 * truncated to the second and was written after our request left). Without one, the local request
 * time + `expiryTime` is all there is. Either way the token is used, with a warning; only a token
 * expired by the server's own clock is refused.
 */
function skewedExpiry(
  serverExpiry: number,
  dateHeader: string | null | undefined,
  context: AnswerContext,
  now: number,
  details: { status: number; method: string; url: string },
): { expiresAt: number; warning: string } {
  const { expiryTime } = context.request;
  const serverDate = dateHeader ? Date.parse(dateHeader) : Number.NaN;
  const expired = `The token endpoint returned a token that expires at ${new Date(serverExpiry).toISOString()}, before this machine's time ${new Date(now).toISOString()}`;
  if (Number.isNaN(serverDate)) {
    return {
      expiresAt: context.requestedAt + expiryTime * 1000,
      warning: `lacework-auth: ${expired}: this machine's clock is probably ahead of Lacework's. Without a Date header to measure the difference, the token is used for the requested \`expiryTime\` (${expiryTime} s) from the local request time. Synchronize this machine's clock (NTP).`,
    };
  }
  const offset = context.requestedAt - (serverDate + 1000);
  const corrected = serverExpiry + offset;
  if (corrected <= now) {
    throw new BadResponseError(
      `${expired}, and already expired by the server's own clock (Date: ${new Date(serverDate).toISOString()}). Check this machine's clock and ${(context.wording ?? CORE_WORDING).baseUrl}.`,
      details,
    );
  }
  return {
    expiresAt: corrected,
    warning: `lacework-auth: ${expired}: this machine's clock is about ${Math.round((now - serverDate - 500) / 1000)} s ahead of Lacework's (per its Date header). Expiry is computed on Lacework's clock instead. Synchronize this machine's clock (NTP).`,
  };
}

function upperFirst(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
