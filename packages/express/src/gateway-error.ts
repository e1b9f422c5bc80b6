import { isLaceworkAuthError, LaceworkAuthError } from '@lacework-auth/core';

/**
 * The HTTP status a client of this server should see when talking to Lacework failed with
 * `error`: the server acted as a gateway, so Lacework's own 401 for the server's key must not
 * reach the browser as "you are not logged in".
 *
 * | code | status |
 * | --- | --- |
 * | `ERR_LW_RATE_LIMITED`, `ERR_LW_BUDGET_EXHAUSTED` | 503 (with `Retry-After` when known) |
 * | `ERR_LW_TIMEOUT` | 504 |
 * | `ERR_LW_INVALID_OPTION`, `ERR_LW_MISSING_CREDENTIALS`, `ERR_LW_INVALID_BASE_URL` | 500 (server misconfigured) |
 * | every other code (`ERR_LW_KEY_REJECTED`, `ERR_LW_BAD_RESPONSE`, `ERR_LW_SERVER`, `ERR_LW_NETWORK`, `ERR_LW_UNAUTHORIZED`, `ERR_LW_HTTP`) | 502 |
 *
 * @example
 * ```ts
 * gatewayStatus(new RateLimitedError('…')); // 503
 * ```
 */
export function gatewayStatus(error: LaceworkAuthError): number {
  switch (error.code) {
    case 'ERR_LW_RATE_LIMITED':
    case 'ERR_LW_BUDGET_EXHAUSTED':
      return 503;
    case 'ERR_LW_TIMEOUT':
      return 504;
    case 'ERR_LW_INVALID_OPTION':
    case 'ERR_LW_MISSING_CREDENTIALS':
    case 'ERR_LW_INVALID_BASE_URL':
      return 500;
    default:
      return 502;
  }
}

/**
 * A {@link LaceworkAuthError} from `@lacework-auth/core` re-thrown for Express: same `code` and
 * message, but `status`/`statusCode` are what the client should see (see {@link gatewayStatus}),
 * so Express's default error handler and `http-errors`-style handlers answer 502/503/504 instead
 * of echoing Lacework's status. The original error is `cause`; Lacework's status is
 * `upstreamStatus`. Never carries the secret or the token.
 *
 * @example
 * ```ts
 * app.use((err, req, res, next) => {
 *   if (err instanceof LaceworkGatewayError) res.status(err.status).json({ error: { code: err.code } });
 *   else next(err);
 * });
 * ```
 */
export class LaceworkGatewayError extends LaceworkAuthError {
  override name = 'LaceworkGatewayError';
  /** Same as `status`, for handlers that read `statusCode`. */
  readonly statusCode: number;
  /** The HTTP status Lacework answered with, when there was a response. */
  readonly upstreamStatus: number | undefined;
  /** `http-errors` convention: 5xx messages are not meant for end users. */
  readonly expose = false;
  /** Headers an error handler should send (`Retry-After` for rate limits). */
  readonly headers: Record<string, string> | undefined;

  constructor(error: LaceworkAuthError) {
    const status = gatewayStatus(error);
    super(error.code, error.message, {
      status,
      method: error.method,
      url: error.url,
      retryAfterMs: error.retryAfterMs,
      cause: error,
    });
    this.statusCode = status;
    this.upstreamStatus = error.status;
    this.headers = retryAfterHeader(error);
  }
}

/**
 * Wraps a core error into a {@link LaceworkGatewayError} (once); anything else is returned as is.
 */
export function toGatewayError(error: unknown): unknown {
  if (error instanceof LaceworkGatewayError) return error;
  return isLaceworkAuthError(error) ? new LaceworkGatewayError(error) : error;
}

const STATUS_MESSAGES: Record<number, string> = {
  500: 'The server is not configured correctly to reach Lacework.',
  502: 'Lacework answered with an error.',
  503: 'Lacework rate limit reached; try again later.',
  504: 'Lacework did not answer in time.',
};

/** What happened, for end users, by error code: true for the code, without any detail. */
const CODE_MESSAGES: Partial<Record<string, string>> = {
  ERR_LW_INVALID_OPTION: STATUS_MESSAGES[500],
  ERR_LW_MISSING_CREDENTIALS: STATUS_MESSAGES[500],
  ERR_LW_INVALID_BASE_URL: STATUS_MESSAGES[500],
  ERR_LW_KEY_REJECTED: 'Lacework refused the API key this server uses.',
  ERR_LW_UNAUTHORIZED: "Lacework refused this server's access for the request.",
  ERR_LW_RATE_LIMITED: STATUS_MESSAGES[503],
  ERR_LW_BUDGET_EXHAUSTED: STATUS_MESSAGES[503],
  ERR_LW_SERVER: 'Lacework answered with a server error.',
  ERR_LW_BAD_RESPONSE: 'Lacework sent an answer the server could not use.',
  ERR_LW_NETWORK: 'The server could not reach Lacework.',
  ERR_LW_TIMEOUT: STATUS_MESSAGES[504],
  ERR_LW_HTTP: 'Lacework answered with an error.',
  ERR_LW_FOREIGN_NEXT_PAGE:
    "Lacework's answer pointed to another site; the server did not follow it.",
  ERR_LW_CROSS_ORIGIN_REDIRECT:
    "Lacework's answer pointed to another site; the server did not follow it.",
};

/**
 * A short message for end users: what happened, true for the error's code (a rejected key is not
 * "no answer"), with no account names, key IDs or URLs (those stay in the error, for the logs).
 */
export function clientMessage(code: string, status: number): string {
  return CODE_MESSAGES[code] ?? STATUS_MESSAGES[status] ?? (STATUS_MESSAGES[502] as string);
}

/** `Retry-After` (whole seconds, at least 1) for an error that knows how long to wait. */
export function retryAfterHeader(error: LaceworkAuthError): Record<string, string> | undefined {
  return error.retryAfterMs === undefined
    ? undefined
    : { 'Retry-After': String(Math.max(1, Math.ceil(error.retryAfterMs / 1000))) };
}
