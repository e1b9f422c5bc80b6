import { resolveBaseUrl } from './base-url.js';
import { DEFAULT_EXPIRY_TIME, HEADERS, RATE_LIMIT_PER_HOUR, TOKEN_PATH } from './constants.js';
import {
  BadResponseError,
  KeyRejectedError,
  type LaceworkAuthError,
  type LaceworkAuthErrorCode,
  RateLimitedError,
  ServerError,
} from './errors.js';
import { MAX_TOKEN_LENGTH, PATTERNS } from './patterns.js';
import { keyIdHint, redactText, SAFE_INPUT, showInput } from './redact.js';
import { type HeaderReader, parseRetryAfter } from './retry.js';
import { looksLikeHtml, serverMessage } from './server-message.js';
import { readHttpUrl } from './url.js';
import { validateExpiryTime, validateHeaderValue, validateSubAccount } from './validate.js';

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
    input.subAccount === undefined ? undefined : validateSubAccount(input.subAccount);
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

/** Why an answer of the token endpoint is not a token (see {@link classifyTokenAnswer}). */
export type TokenAnswerProblem =
  | 'rejected'
  | 'rate-limited'
  | 'server'
  | 'redirect'
  | 'status'
  | 'html'
  | 'not-json'
  | 'no-token'
  | 'bad-token'
  | 'no-expiry'
  | 'expired'
  | 'too-slow';

/** The error code each {@link TokenAnswerProblem} stands for. */
export const TOKEN_ANSWER_CODES: Readonly<Record<TokenAnswerProblem, LaceworkAuthErrorCode>> = {
  rejected: 'ERR_LW_KEY_REJECTED',
  'rate-limited': 'ERR_LW_RATE_LIMITED',
  server: 'ERR_LW_SERVER',
  redirect: 'ERR_LW_BAD_RESPONSE',
  status: 'ERR_LW_BAD_RESPONSE',
  html: 'ERR_LW_BAD_RESPONSE',
  'not-json': 'ERR_LW_BAD_RESPONSE',
  'no-token': 'ERR_LW_BAD_RESPONSE',
  'bad-token': 'ERR_LW_BAD_RESPONSE',
  'no-expiry': 'ERR_LW_BAD_RESPONSE',
  expired: 'ERR_LW_BAD_RESPONSE',
  'too-slow': 'ERR_LW_BAD_RESPONSE',
};

/** An answer of the token endpoint, read: a token, or why not, with what a message may show. */
export type TokenAnswerReading =
  | (TokenAnswer & { ok: true })
  | {
      ok: false;
      problem: TokenAnswerProblem;
      code: LaceworkAuthErrorCode;
      status: number;
      /** The server's own explanation, redacted (see `serverMessage`); `''` when none. */
      serverMessage: string;
      /** 429: how long Lacework asked to wait (`Retry-After`, else `RateLimit-Reset`). */
      retryAfterMs?: number | undefined;
      /** 3xx: whether the answer had a `Location`. */
      locationGiven?: boolean | undefined;
      /** 3xx: the origin of `Location` (never its path), or `undefined` when not a plain URL. */
      locationOrigin?: string | undefined;
      /** 3xx: the host of `Location`. */
      locationHost?: string | undefined;
      /** `bad-token`: the length of what came instead of a token (never the value). */
      tokenLength?: number | undefined;
      /** `expired`: Lacework's `expiresAt` and, when sent, its `Date` (ms since the epoch). */
      serverExpiry?: number | undefined;
      serverDate?: number | undefined;
    };

// Lacework's format: `2021-09-28T21:57:15.494Z` (the Python SDK needs the fraction; we do not).
const ISO_DATE = /^\d{4}-\d{2}-\d{2}T/;

// RFC 6750 `b64token`: what a bearer token may be. Nothing else goes into an Authorization header
// (no line break, space, quote or `{{…}}`, which Postman would resolve as a variable).
const BEARER_TOKEN = new RegExp(PATTERNS.bearerToken);

export { MAX_TOKEN_LENGTH } from './patterns.js';

/**
 * The rules for the token endpoint's answer, as data. Status → problem → error code (the one
 * table every runtime follows):
 *
 * | status | problem | code |
 * | --- | --- | --- |
 * | 2xx with a bearer token and an ISO `expiresAt` in the future | (a token) | |
 * | 2xx with an HTML page, a body that is not JSON, no `token`, a token that is not an RFC 6750 bearer token (or over 8192 characters), no `expiresAt` | `html`, `not-json`, `no-token`, `bad-token`, `no-expiry` | `ERR_LW_BAD_RESPONSE` |
 * | 2xx whose token expired by the server's own clock, or outlived by the exchange | `expired`, `too-slow` | `ERR_LW_BAD_RESPONSE` |
 * | 400, 401, 403 | `rejected` (Lacework does not document which one a bad key gets) | `ERR_LW_KEY_REJECTED` |
 * | 429 | `rate-limited`, with `retryAfterMs` from `Retry-After`, else `RateLimit-Reset` | `ERR_LW_RATE_LIMITED` |
 * | 5xx | `server` | `ERR_LW_SERVER` |
 * | 3xx | `redirect` (never followed: it would carry the secret elsewhere) | `ERR_LW_BAD_RESPONSE` |
 * | any other | `status` | `ERR_LW_BAD_RESPONSE` |
 *
 * Expiry: the earlier of Lacework's `expiresAt` and the local request time + `expiryTime` (a clock
 * skew between this machine and Lacework can only shorten a token's life). A token whose
 * `expiresAt` has passed by this machine's clock is still used when Lacework's `Date` header says
 * it is valid by Lacework's clock (moved onto ours), or, without `Date`, for `expiryTime` from the
 * request; `warning` then says so.
 */
export function classifyTokenAnswer(
  answer: HttpAnswer,
  context: AnswerContext,
): TokenAnswerReading {
  const { status } = answer;
  const secret = context.request.secret;
  const failed = (
    problem: TokenAnswerProblem,
    extra: Partial<Extract<TokenAnswerReading, { ok: false }>> = {},
  ): TokenAnswerReading => ({
    ok: false,
    problem,
    code: TOKEN_ANSWER_CODES[problem],
    status,
    serverMessage: extra.serverMessage ?? '',
    ...extra,
  });
  if (status < 200 || status >= 300) {
    const said = serverMessage(answer.body, [secret]);
    if (status === 400 || status === 401 || status === 403) {
      return failed('rejected', { serverMessage: said });
    }
    if (status === 429) {
      const retryAfterMs = parseRetryAfter(answer.headers, context.now ?? Date.now());
      return failed('rate-limited', { serverMessage: said, retryAfterMs });
    }
    if (status >= 500) return failed('server', { serverMessage: said });
    if (status >= 300 && status < 400) {
      const location = answer.headers.get('location');
      // User info is dropped first: it names no place, and may hold the secret.
      const target = location
        ? readHttpUrl(location.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#]*@/i, '$1'), {
            anyHostCharacters: true,
          })
        : undefined;
      return failed('redirect', {
        locationGiven: Boolean(location),
        locationOrigin: target?.origin,
        locationHost: target?.host,
      });
    }
    return failed('status', { serverMessage: said });
  }
  const body = answer.body;
  if (looksLikeHtml(body, answer.headers.get('content-type') ?? null)) return failed('html');
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return failed('not-json', { tokenLength: body.length });
  }
  const record = (json !== null && typeof json === 'object' ? json : {}) as Record<string, unknown>;
  const token = record.token;
  if (typeof token !== 'string' || token.length === 0) return failed('no-token');
  if (token.length > MAX_TOKEN_LENGTH || !BEARER_TOKEN.test(token)) {
    return failed('bad-token', { tokenLength: token.length });
  }
  const rawExpiry = record.expiresAt;
  const serverExpiry = typeof rawExpiry === 'string' ? Date.parse(rawExpiry) : Number.NaN;
  if (typeof rawExpiry !== 'string' || Number.isNaN(serverExpiry) || !ISO_DATE.test(rawExpiry)) {
    return failed('no-expiry', {
      serverExpiry: typeof rawExpiry === 'string' ? Number.NaN : undefined,
    });
  }
  const now = context.now ?? Date.now();
  const { expiryTime } = context.request;
  const localExpiry = context.requestedAt + expiryTime * 1000;
  let trusted = serverExpiry;
  let warning: string | undefined;
  if (serverExpiry <= now) {
    const expired = `The token endpoint returned a token that expires at ${new Date(serverExpiry).toISOString()}, before this machine's time ${new Date(now).toISOString()}`;
    const dateHeader = answer.headers.get('date');
    const serverDate = dateHeader ? Date.parse(dateHeader) : Number.NaN;
    if (Number.isNaN(serverDate)) {
      trusted = localExpiry;
      warning = `lacework-auth: ${expired}: this machine's clock is probably ahead of Lacework's. Without a Date header to measure the difference, the token is used for the requested \`expiryTime\` (${expiryTime} s) from the local request time. Synchronize this machine's clock (NTP).`;
    } else {
      // The header is truncated to the second and was written after our request left: err early.
      trusted = serverExpiry + (context.requestedAt - (serverDate + 1000));
      if (trusted <= now) return failed('expired', { serverExpiry, serverDate });
      warning = `lacework-auth: ${expired}: this machine's clock is about ${Math.round((now - serverDate - 500) / 1000)} s ahead of Lacework's (per its Date header). Expiry is computed on Lacework's clock instead. Synchronize this machine's clock (NTP).`;
    }
  }
  const expiresAt = Math.min(trusted, localExpiry);
  if (expiresAt <= now) return failed('too-slow');
  return { ok: true, token, expiresAt, requestedAt: context.requestedAt, warning };
}

/**
 * Reads the token endpoint's answer by {@link classifyTokenAnswer}'s rules: the token, else the
 * error its problem stands for, in core's words (the settings named by `context.wording`).
 *
 * @throws {LaceworkAuthError} `ERR_LW_KEY_REJECTED`, `ERR_LW_RATE_LIMITED`, `ERR_LW_SERVER`,
 *   `ERR_LW_BAD_RESPONSE`; messages never hold the secret or the token
 */
export function readTokenAnswer(answer: HttpAnswer, context: AnswerContext): TokenAnswer {
  const reading = classifyTokenAnswer(answer, context);
  if (reading.ok) {
    const { ok: _ok, ...token } = reading;
    return token;
  }
  throw tokenAnswerError(reading, context);
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

/** The error for a refused answer, in core's words. */
function tokenAnswerError(
  reading: Extract<TokenAnswerReading, { ok: false }>,
  context: AnswerContext,
): LaceworkAuthError {
  const { status } = reading;
  const { url, keyId, secret, subAccount, expiryTime } = context.request;
  const wording = context.wording ?? CORE_WORDING;
  const because = reading.serverMessage ? `: "${reading.serverMessage}"` : '';
  const details = { status, method: 'POST', url };
  const key = `\`${keyIdHint(keyId)}\``;
  switch (reading.problem) {
    case 'rejected': {
      const subHint =
        status === 403 && subAccount
          ? ` If the key is valid, check that sub-account ${showInput(subAccount, SAFE_INPUT.name)} exists and the key's user may access it.`
          : '';
      return new KeyRejectedError(
        `Lacework rejected the API key ${key} (HTTP ${status}${because}). Check ${wording.key}, or create a new key under Settings → API keys.${subHint}`,
        details,
      );
    }
    case 'rate-limited': {
      const { retryAfterMs } = reading;
      const wait =
        retryAfterMs === undefined ? '' : ` Retry after ${Math.ceil(retryAfterMs / 1000)} s.`;
      return new RateLimitedError(
        `Lacework rate-limited the token exchange for key ${key} (HTTP 429${because}). The limit (about ${RATE_LIMIT_PER_HOUR} requests/hour per user) includes token requests: ${wording.rateLimit}.${wait}`,
        { ...details, retryAfterMs },
      );
    }
    case 'server':
      return new ServerError(
        `The Lacework token endpoint failed with HTTP ${status}${because}. This is on Lacework's side; try again later.`,
        details,
      );
    case 'redirect': {
      // Only the origin: a path, query or fragment can echo the secret, and so can a host name.
      const origin = reading.locationOrigin
        ? redactText(reading.locationOrigin, [secret])
        : 'another location';
      return new BadResponseError(
        `The token endpoint redirected (HTTP ${status}${reading.locationGiven ? ` to ${origin}` : ''}). The secret is not sent across redirects; set ${wording.baseUrl} to the final host.`,
        details,
      );
    }
    case 'status':
      return new BadResponseError(
        `The token endpoint answered HTTP ${status}${because}, which Lacework does not use for token requests. Check that ${wording.baseUrl} points at the Lacework API.`,
        details,
      );
    case 'html':
      return new BadResponseError(
        `The token endpoint answered HTTP ${status} with an HTML page instead of JSON. ${upperFirst(wording.baseUrl)} probably points at a web page, captive portal or proxy login, not the Lacework API.`,
        details,
      );
    case 'not-json':
      return new BadResponseError(
        `The token endpoint answered HTTP ${status} with a body that is not JSON (${reading.tokenLength ? `${reading.tokenLength} bytes` : 'empty'}). Check that ${wording.baseUrl} points at the Lacework API.`,
        details,
      );
    case 'no-token':
    case 'bad-token':
      return new BadResponseError(
        `The token endpoint answered HTTP ${status} without a usable \`token\` field${reading.problem === 'bad-token' ? ` (${reading.tokenLength} characters that are not a bearer token, not shown)` : ''}. Check that ${wording.baseUrl} points at the Lacework API v2.`,
        details,
      );
    case 'no-expiry':
      return new BadResponseError(
        `The token endpoint answered HTTP ${status} with ${reading.serverExpiry === undefined ? 'no' : 'an unreadable'} \`expiresAt\` (expected an ISO date such as 2026-01-31T12:00:00.000Z).`,
        details,
      );
    case 'expired': {
      const now = context.now ?? Date.now();
      return new BadResponseError(
        `The token endpoint returned a token that expires at ${new Date(reading.serverExpiry ?? 0).toISOString()}, before this machine's time ${new Date(now).toISOString()}, and already expired by the server's own clock (Date: ${new Date(reading.serverDate ?? 0).toISOString()}). Check this machine's clock and ${wording.baseUrl}.`,
        details,
      );
    }
    default: {
      const now = context.now ?? Date.now();
      return new BadResponseError(
        `The token exchange took ${now - context.requestedAt} ms, longer than the requested lifetime (\`expiryTime\` ${expiryTime} s). Ask for a longer \`expiryTime\`.`,
        details,
      );
    }
  }
}

function upperFirst(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
