import ky, { HTTPError } from 'ky';
import type { RateBudget } from '../budget/rate-budget.js';
import { isLaceworkAuthError, type LaceworkAuthError } from '../protocol/errors.js';
import {
  isRetryableExchangeFailure,
  readTokenAnswer,
  type TokenRequestInput,
  tokenRequest,
} from '../protocol/exchange.js';
import { Deadline, readBody } from '../toolkit/body-deadline.js';
import { transportError } from '../toolkit/http-errors.js';
import { validateMs } from '../toolkit/options.js';
import {
  backoffDelay,
  normalizeRetry,
  type RetryOptions,
  sleep,
} from '../toolkit/retry-options.js';
import { defaultWarningHandler, type WarningHandler } from '../toolkit/warnings.js';
import { USER_AGENT } from '../version.js';

const utf8 = new TextDecoder();

/** A bearer token and the moment it stops working. */
export interface AccessToken {
  /** The bearer token (send as `Authorization: Bearer <token>`). Never log it. */
  token: string;
  /** When the token expires: the earlier of Lacework's `expiresAt` and request time + `expiryTime`. */
  expiresAt: Date;
}

/**
 * Everything one exchange needs: the token request's inputs (base URL, key, sub-account, org
 * access, expiry; see `tokenRequest`, the protocol's one definition of the request) and how to
 * send it. Validated before anything is sent.
 */
export interface ExchangeRequest extends Omit<TokenRequestInput, 'userAgent'> {
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
  const wire = tokenRequest({ ...request, userAgent: USER_AGENT });
  const policy = normalizeRetry(request.retry);
  const timeout = validateMs(request.timeout, 'timeout', { min: 1 }) ?? 30_000;
  const onWarning = request.onWarning ?? defaultWarningHandler;
  const { url } = wire;
  const redact = [wire.secret];
  const timeoutError = () =>
    transportError(
      Object.assign(new Error('timeout'), { name: 'TimeoutError' }),
      { method: 'POST', url, timeout, what: 'The token exchange' },
      redact,
    ) as LaceworkAuthError;

  for (let attempt = 0; ; attempt++) {
    // Before the deadline starts: waiting for the budget is not the server being slow.
    const ticket = request.budget ? await request.budget.acquire() : undefined;
    const requestedAt = Date.now();
    let failure: LaceworkAuthError;
    // One deadline for the whole attempt, body included: ky's `timeout` stops at the headers, and a
    // server that stalls mid-body would otherwise hold every waiting getToken() caller.
    const deadline = new Deadline(timeout);
    try {
      const response = await ky.post(url, {
        body: wire.body,
        headers: wire.headers,
        timeout: false,
        signal: deadline.signal,
        retry: 0,
        // A redirect would carry X-LW-UAKS to another host; report it instead of following.
        redirect: 'manual',
        throwHttpErrors: false,
        ...(request.fetch ? { fetch: request.fetch } : {}),
      });
      if (ticket) await ticket.done(response);
      // Read through a reader the deadline cancels (see Deadline): a stalled body ends on time.
      const bytes = await readBody(response, deadline, timeoutError).catch((error: unknown) => {
        if (deadline.timedOut) throw timeoutError();
        return isLaceworkAuthError(error) ? Promise.reject(error) : new Uint8Array(0);
      });
      const limit = response.ok ? 1024 * 1024 : 64 * 1024;
      const body = utf8.decode(bytes.byteLength > limit ? bytes.subarray(0, limit) : bytes);
      const answer = readTokenAnswer(
        { status: response.status, body, headers: response.headers },
        { request: wire, requestedAt },
      );
      if (answer.warning) onWarning(answer.warning, 'LW_CLOCK_SKEW');
      return { token: answer.token, expiresAt: new Date(answer.expiresAt), requestedAt };
    } catch (error) {
      // An aborted body read surfaces as an empty or unparsable body; the deadline is the cause.
      if (deadline.timedOut) throw timeoutError();
      if (isLaceworkAuthError(error)) {
        failure = error;
      } else {
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
      }
    } finally {
      deadline.stop();
      if (ticket) await ticket.done();
    }
    if (!isRetryableExchangeFailure(failure, policy.maxRetryAfter) || attempt >= policy.limit) {
      throw failure;
    }
    await sleep(failure.retryAfterMs ?? backoffDelay(attempt + 1, policy));
  }
}
