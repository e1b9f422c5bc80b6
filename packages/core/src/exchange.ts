import ky, { HTTPError } from 'ky';
import { resolveBaseUrl } from './base-url.js';
import { bindBodyToSignal } from './body-deadline.js';
import type { RateBudget } from './budget/rate-budget.js';
import { DEFAULT_EXPIRY_TIME, TOKEN_PATH } from './constants.js';
import {
  BadResponseError,
  isLaceworkAuthError,
  KeyRejectedError,
  type LaceworkAuthError,
  RateLimitedError,
  ServerError,
} from './errors.js';
import { looksLikeHtml, readBodyText, serverMessage, transportError } from './http-errors.js';
import { defaultWarningHandler, type WarningHandler } from './permissions.js';
import { keyIdHint, redactText, SAFE_INPUT, showInput } from './redact.js';
import {
  backoffDelay,
  normalizeRetry,
  parseRetryAfter,
  type RetryOptions,
  sleep,
} from './retry-policy.js';
import { validateExpiryTime, validateHeaderValue, validateMs } from './validate.js';
import { USER_AGENT } from './version.js';

/** A bearer token and the moment it stops working. */
export interface AccessToken {
  /** The bearer token (send as `Authorization: Bearer <token>`). Never log it. */
  token: string;
  /** When the token expires: the earlier of Lacework's `expiresAt` and request time + `expiryTime`. */
  expiresAt: Date;
}

/** Everything one exchange needs. Validated before anything is sent. */
export interface ExchangeRequest {
  /** API base URL, e.g. `https://acme.lacework.net` (see `resolveBaseUrl`). */
  baseUrl: string;
  keyId: string;
  secret: string;
  /** Sent as `Account-Name`. */
  subAccount?: string | undefined;
  /** Sends `Org-Access: true`. */
  orgAccess?: boolean | undefined;
  /** Token lifetime in seconds, 1..86400. @default 3600 */
  expiryTime?: number | undefined;
  /** Per-attempt timeout in ms, reading the response body included. @default 30000 */
  timeout?: number | undefined;
  /**
   * Retries for 429 (honouring `Retry-After`), 5xx and network errors.
   * @default { limit: 2, maxRetryAfter: 30000, backoffLimit: 5000 }
   */
  retry?: number | RetryOptions | undefined;
  /** `fetch` implementation. @default globalThis.fetch */
  fetch?: typeof fetch | undefined;
  /**
   * Each attempt waits for room in this budget (and corrects it with the answer's `RateLimit-*`
   * headers): the token endpoint counts against the key's limit.
   */
  budget?: RateBudget | undefined;
  /**
   * Receives a warning when this machine's clock is far ahead of Lacework's.
   * @default process.emitWarning
   */
  onWarning?: WarningHandler | undefined;
}

/** An {@link AccessToken} plus when it was requested (local clock), for refresh timing. */
export interface ExchangeResult extends AccessToken {
  /** Local time (ms) the request was sent; `expiresAt - requestedAt` is the token lifetime. */
  requestedAt: number;
}

/**
 * Exchanges an API key for a bearer token: `POST <baseUrl>/api/v2/access/tokens` with
 * `X-LW-UAKS: <secret>` and `{"keyId", "expiryTime"}`. Most code should use `createTokenProvider`,
 * which caches and refreshes; this is the single request.
 *
 * @throws {LaceworkAuthError} `ERR_LW_KEY_REJECTED`, `ERR_LW_RATE_LIMITED`, `ERR_LW_SERVER`,
 *   `ERR_LW_BAD_RESPONSE`, `ERR_LW_NETWORK`, `ERR_LW_TIMEOUT`, `ERR_LW_INVALID_OPTION`
 * @example
 * ```ts
 * const { token, expiresAt } = await exchangeKey({ baseUrl, keyId, secret, expiryTime: 600 });
 * ```
 */
export async function exchangeKey(request: ExchangeRequest): Promise<ExchangeResult> {
  const keyId = validateHeaderValue(request.keyId, 'keyId');
  const secret = validateHeaderValue(request.secret, 'secret');
  const subAccount =
    request.subAccount === undefined
      ? undefined
      : validateHeaderValue(request.subAccount, 'subAccount');
  const expiryTime = validateExpiryTime(request.expiryTime ?? DEFAULT_EXPIRY_TIME);
  const policy = normalizeRetry(request.retry);
  const timeout = validateMs(request.timeout, 'timeout', { min: 1 }) ?? 30_000;
  // The secret goes only to https (or loopback http) hosts, whoever calls this.
  const url = `${resolveBaseUrl(request.baseUrl, { allowAnyHost: true })}${TOKEN_PATH}`;
  const headers: Record<string, string> = {
    'x-lw-uaks': secret,
    accept: 'application/json',
    'user-agent': USER_AGENT,
  };
  if (subAccount) headers['account-name'] = subAccount;
  if (request.orgAccess) headers['org-access'] = 'true';
  const redact = [secret];

  const timeoutError = () =>
    transportError(
      Object.assign(new Error('timeout'), { name: 'TimeoutError' }),
      { method: 'POST', url, timeout, what: 'The token exchange' },
      redact,
    ) as LaceworkAuthError;

  for (let attempt = 0; ; attempt++) {
    // Before the deadline starts: waiting for the budget is not the server being slow.
    const ticket = await request.budget?.acquire();
    const requestedAt = Date.now();
    let failure: LaceworkAuthError;
    // One deadline for the whole attempt, body included: ky's `timeout` stops at the headers, and a
    // server that stalls mid-body would otherwise hold every waiting getToken() caller.
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), timeout);
    try {
      const sent = await ky.post(url, {
        json: { keyId, expiryTime },
        headers,
        timeout: false,
        signal: deadline.signal,
        retry: 0,
        // A redirect would carry X-LW-UAKS to another host; report it instead of following.
        redirect: 'manual',
        throwHttpErrors: false,
        ...(request.fetch ? { fetch: request.fetch } : {}),
      });
      // The deadline must reach the body read itself, not only fetch (see bindBodyToSignal).
      const response = bindBodyToSignal(sent, [deadline.signal], timeoutError);
      await ticket?.done(response);
      if (response.ok) {
        return await parseTokenResponse(response, {
          url,
          requestedAt,
          expiryTime,
          keyId,
          secret,
          onWarning: request.onWarning ?? defaultWarningHandler,
        });
      }
      failure = await statusError(response, { url, keyId, subAccount, secret });
      // The body read gave up at the deadline: the error would only say "no message".
      if (deadline.signal.aborted) failure = timeoutError();
    } catch (error) {
      // An aborted body read surfaces as an empty or unparsable body; the deadline is the cause.
      if (deadline.signal.aborted) throw timeoutError();
      if (isLaceworkAuthError(error)) throw error;
      const converted =
        error instanceof HTTPError
          ? undefined
          : transportError(
              error,
              { method: 'POST', url, timeout, what: 'The token exchange' },
              redact,
            );
      if (!converted) throw error;
      failure = converted;
    } finally {
      clearTimeout(timer);
      await ticket?.done();
    }
    const retryable =
      failure.code === 'ERR_LW_SERVER' ||
      failure.code === 'ERR_LW_NETWORK' ||
      (failure.code === 'ERR_LW_RATE_LIMITED' &&
        (failure.retryAfterMs ?? 0) <= policy.maxRetryAfter);
    if (!retryable || attempt >= policy.limit) throw failure;
    await sleep(failure.retryAfterMs ?? backoffDelay(attempt + 1, policy));
  }
}

async function statusError(
  response: Response,
  context: { url: string; keyId: string; subAccount: string | undefined; secret: string },
): Promise<LaceworkAuthError> {
  const body = await readBodyText(response);
  const status = response.status;
  const said = serverMessage(body, [context.secret]);
  const because = said ? `: "${said}"` : '';
  const details = { status, method: 'POST', url: context.url };
  const key = `\`${keyIdHint(context.keyId)}\``;
  if (status === 400 || status === 401 || status === 403) {
    const subHint =
      status === 403 && context.subAccount
        ? ` If the key is valid, check that sub-account ${showInput(context.subAccount, SAFE_INPUT.name)} exists and the key's user may access it.`
        : '';
    return new KeyRejectedError(
      `Lacework rejected the API key ${key} (HTTP ${status}${because}). Check the keyId and secret (LW_API_KEY / LW_API_SECRET, your ~/.lacework.toml profile or key file) and the account, or create a new key under Settings → API keys.${subHint}`,
      details,
    );
  }
  if (status === 429) {
    const retryAfterMs = parseRetryAfter(response.headers);
    const wait =
      retryAfterMs === undefined ? '' : ` Retry after ${Math.ceil(retryAfterMs / 1000)} s.`;
    return new RateLimitedError(
      `Lacework rate-limited the token exchange for key ${key} (HTTP 429${because}). The limit (about 480 requests/hour per user) includes token requests: cache tokens with a \`store\` instead of exchanging per call.${wait}`,
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
    const location = response.headers.get('location');
    return new BadResponseError(
      `The token endpoint redirected (HTTP ${status}${location ? ` to ${safeLocation(location, context.secret)}` : ''}). The secret is not sent across redirects; set the account or \`baseUrl\` to the final host.`,
      details,
    );
  }
  return new BadResponseError(
    `The token endpoint answered HTTP ${status}${because}, which Lacework does not use for token requests. Check that the account or \`baseUrl\` points at the Lacework API.`,
    details,
  );
}

// Only the origin: a path, query or fragment can echo the secret, and so can a host name.
function safeLocation(location: string, secret: string): string {
  try {
    const origin = new URL(location).origin;
    return origin === 'null' ? 'another location' : redactText(origin, [secret]);
  } catch {
    return 'another location';
  }
}

async function parseTokenResponse(
  response: Response,
  context: {
    url: string;
    requestedAt: number;
    expiryTime: number;
    keyId: string;
    secret: string;
    onWarning: WarningHandler;
  },
): Promise<ExchangeResult> {
  const status = response.status;
  const details = { status, method: 'POST', url: context.url };
  const body = await readBodyText(response, 1024 * 1024);
  if (looksLikeHtml(body, response.headers.get('content-type'))) {
    throw new BadResponseError(
      `The token endpoint answered HTTP ${status} with an HTML page instead of JSON. The account or \`baseUrl\` probably points at a web page, captive portal or proxy login, not the Lacework API.`,
      details,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new BadResponseError(
      `The token endpoint answered HTTP ${status} with a body that is not JSON (${body.length === 0 ? 'empty' : `${body.length} bytes`}). Check that the account or \`baseUrl\` points at the Lacework API.`,
      details,
    );
  }
  const record = (json !== null && typeof json === 'object' ? json : {}) as Record<string, unknown>;
  const token = record.token;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: a token must be usable in a header
  if (typeof token !== 'string' || token.length === 0 || /[\u0000-\u0020\u007f]/.test(token)) {
    throw new BadResponseError(
      `The token endpoint answered HTTP ${status} without a usable \`token\` field. Check that the account or \`baseUrl\` points at the Lacework API v2.`,
      details,
    );
  }
  const rawExpiry = record.expiresAt;
  const serverExpiry = typeof rawExpiry === 'string' ? Date.parse(rawExpiry) : Number.NaN;
  if (
    typeof rawExpiry !== 'string' ||
    Number.isNaN(serverExpiry) ||
    !/^\d{4}-\d{2}-\d{2}T/.test(rawExpiry)
  ) {
    throw new BadResponseError(
      `The token endpoint answered HTTP ${status} with ${typeof rawExpiry === 'string' ? 'an unreadable' : 'no'} \`expiresAt\` (expected an ISO date such as 2026-01-31T12:00:00.000Z).`,
      details,
    );
  }
  const localExpiry = context.requestedAt + context.expiryTime * 1000;
  const now = Date.now();
  let trustedExpiry = serverExpiry;
  if (serverExpiry <= now) {
    trustedExpiry = skewedExpiry(serverExpiry, response.headers.get('date'), context, now, details);
  }
  const expiresAt = Math.min(trustedExpiry, localExpiry);
  if (expiresAt <= now) {
    throw new BadResponseError(
      `The token exchange took ${now - context.requestedAt} ms, longer than the requested lifetime (\`expiryTime\` ${context.expiryTime} s). Ask for a longer \`expiryTime\`.`,
      details,
    );
  }
  return { token, expiresAt: new Date(expiresAt), requestedAt: context.requestedAt };
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
  dateHeader: string | null,
  context: { requestedAt: number; expiryTime: number; onWarning: WarningHandler },
  now: number,
  details: { status: number; method: string; url: string },
): number {
  const serverDate = dateHeader === null ? Number.NaN : Date.parse(dateHeader);
  const expired = `The token endpoint returned a token that expires at ${new Date(serverExpiry).toISOString()}, before this machine's time ${new Date(now).toISOString()}`;
  if (Number.isNaN(serverDate)) {
    context.onWarning(
      `lacework-auth: ${expired}: this machine's clock is probably ahead of Lacework's. Without a Date header to measure the difference, the token is used for the requested \`expiryTime\` (${context.expiryTime} s) from the local request time. Synchronize this machine's clock (NTP).`,
    );
    return context.requestedAt + context.expiryTime * 1000;
  }
  const offset = context.requestedAt - (serverDate + 1000);
  const corrected = serverExpiry + offset;
  if (corrected <= now) {
    throw new BadResponseError(
      `${expired}, and already expired by the server's own clock (Date: ${new Date(serverDate).toISOString()}). Check this machine's clock and the account or \`baseUrl\`.`,
      details,
    );
  }
  context.onWarning(
    `lacework-auth: ${expired}: this machine's clock is about ${Math.round((now - serverDate - 500) / 1000)} s ahead of Lacework's (per its Date header). Expiry is computed on Lacework's clock instead. Synchronize this machine's clock (NTP).`,
  );
  return corrected;
}
