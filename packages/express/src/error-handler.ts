import { isLaceworkAuthError } from '@lacework-auth/core';
import type { ErrorRequestHandler } from 'express';
import {
  clientMessage,
  gatewayStatus,
  LaceworkGatewayError,
  retryAfterHeader,
} from './gateway-error.js';
import { sendJsonError } from './json-error.js';
import { booleanOption, optionsObject } from './options.js';

/** Options of {@link laceworkErrorHandler}. */
export interface LaceworkErrorHandlerOptions {
  /**
   * Send the error's own message instead of a generic one. Messages never hold secrets or tokens,
   * but they can name the Lacework account, URL and key ID prefix.
   * @default false
   */
  expose?: boolean;
}

/**
 * Express error middleware that answers Lacework failures (any `LaceworkAuthError`, from
 * `req.lacework` or your own core calls) with `{ "error": { "code", "message" } }` and the
 * gateway status (502/503/504, 500 for misconfiguration; see {@link gatewayStatus}), plus
 * `Retry-After` when Lacework gave one. Other errors go to the next error handler.
 *
 * @example
 * ```ts
 * app.use(laceworkAuth());
 * app.get('/me', async (req, res) => res.json(await requireLacework(req).client.get('UserProfile').json()));
 * app.use(laceworkErrorHandler());
 * ```
 */
export function laceworkErrorHandler(options?: LaceworkErrorHandlerOptions): ErrorRequestHandler {
  const expose = booleanOption(
    optionsObject(options, 'laceworkErrorHandler').expose,
    'expose',
    false,
  );
  return function laceworkErrorHandlerMiddleware(err, _req, res, next) {
    if (!isLaceworkAuthError(err) || res.headersSent) {
      next(err);
      return;
    }
    const status = err instanceof LaceworkGatewayError ? (err.status ?? 502) : gatewayStatus(err);
    sendJsonError(
      res,
      status,
      err.code,
      expose ? err.message : clientMessage(status),
      retryAfterHeader(err),
    );
  };
}
