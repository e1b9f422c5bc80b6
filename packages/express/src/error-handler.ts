import { isLaceworkAuthError } from '@lacework-auth/core';
import { assertKnownOptions } from '@lacework-auth/core/internal';
import type { ErrorRequestHandler } from 'express';
import {
  failureLog,
  type LaceworkErrorHook,
  type LaceworkLogger,
  reportFailure,
} from './failure-log.js';
import {
  clientMessage,
  gatewayStatus,
  LaceworkGatewayError,
  retryAfterHeader,
} from './gateway-error.js';
import { sendJsonError } from './json-error.js';
import { booleanOption, optionsObject } from './options.js';
import { type RateLimitStatus, rateLimitStatusOption } from './rate-limit-status.js';

/** Options of {@link laceworkErrorHandler}. */
export interface LaceworkErrorHandlerOptions {
  /**
   * Send the error's own message instead of a generic one. Messages never hold secrets or tokens,
   * but they can name the Lacework account, URL and key ID prefix.
   * @default false
   */
  expose?: boolean;
  /**
   * Where each answered failure is logged, as one line (method, path, status, code, message;
   * never a secret or token), except when the app's `env` is `test`, as Express's own error
   * handler does. `false` logs nothing.
   * @default console
   */
  logger?: LaceworkLogger | false;
  /** Called with each Lacework failure answered (the error and the request), e.g. for metrics. */
  onError?: LaceworkErrorHook;
  /**
   * Status for Lacework's rate limit on the server's key, as `laceworkProxy` answers it.
   * @default 503
   */
  rateLimitStatus?: RateLimitStatus;
}

/**
 * Express error middleware that answers Lacework failures (any `LaceworkAuthError`, from
 * `req.lacework` or your own core calls) with `{ "error": { "code", "message" } }` and the
 * gateway status (502/503/504, 500 for misconfiguration; see {@link gatewayStatus}), plus
 * `Retry-After` when Lacework gave one, and logs each one (see `logger`). The message says what
 * happened for the error's code (a rejected key, a rate limit, no answer, …) without details.
 * Other errors go to the next error handler.
 *
 * @example
 * ```ts
 * app.use(laceworkAuth());
 * app.get('/me', async (req, res) => res.json(await requireLacework(req).client.get('UserProfile').json()));
 * app.use(laceworkErrorHandler());
 * ```
 */
export function laceworkErrorHandler(options?: LaceworkErrorHandlerOptions): ErrorRequestHandler {
  const opts = optionsObject(options, 'laceworkErrorHandler');
  assertKnownOptions(
    opts,
    ['expose', 'logger', 'onError', 'rateLimitStatus'],
    'laceworkErrorHandler',
  );
  const expose = booleanOption(opts.expose, 'expose', false);
  const log = failureLog(opts.logger, opts.onError);
  const rateLimitStatus = rateLimitStatusOption(opts.rateLimitStatus);
  return function laceworkErrorHandlerMiddleware(err, req, res, next) {
    if (!isLaceworkAuthError(err) || res.headersSent) {
      next(err);
      return;
    }
    let status = err instanceof LaceworkGatewayError ? (err.status ?? 502) : gatewayStatus(err);
    if (err.code === 'ERR_LW_RATE_LIMITED' || err.code === 'ERR_LW_BUDGET_EXHAUSTED') {
      status = rateLimitStatus;
    }
    reportFailure(log, err, req, status);
    sendJsonError(
      res,
      status,
      err.code,
      expose ? err.message : clientMessage(err.code, status),
      retryAfterHeader(err),
    );
  };
}
