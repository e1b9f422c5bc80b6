import { InvalidOptionError, isLaceworkAuthError } from '@lacework-auth/core';
import type { Request } from 'express';

/** Where the middleware logs failures: `console`, pino, winston, … (anything with `error`). */
export interface LaceworkLogger {
  error(message: string): void;
}

/** Called with every Lacework failure the middleware answered, for your own logging or metrics. */
export type LaceworkErrorHook = (error: Error, req: Request) => void;

/** The `logger` and `onError` options, checked. */
export interface FailureLog {
  logger: LaceworkLogger | undefined;
  onError: LaceworkErrorHook | undefined;
}

/**
 * Checks `logger` (`false` turns logging off; default `console`) and `onError`.
 *
 * @throws {InvalidOptionError} naming the option.
 */
export function failureLog(logger: unknown, onError: unknown): FailureLog {
  if (logger !== undefined && logger !== false) {
    if (
      logger === null ||
      typeof logger !== 'object' ||
      typeof (logger as { error?: unknown }).error !== 'function'
    ) {
      throw new InvalidOptionError(
        '`logger` must have an `error(message)` method (console, pino, winston, …) or be false.',
        { option: 'logger' },
      );
    }
  }
  if (onError !== undefined && typeof onError !== 'function') {
    throw new InvalidOptionError('`onError` must be a function.', { option: 'onError' });
  }
  return {
    logger: logger === false ? undefined : ((logger as LaceworkLogger | undefined) ?? console),
    onError: onError as LaceworkErrorHook | undefined,
  };
}

/**
 * Reports a failure that was answered with `status`: to `onError`, and as one line to the logger,
 * except when the app's `env` is `test` (as Express's own error handler). The line holds the
 * method, the path without its query, the status, the code and core's message, which never
 * holds a secret or a token. A failing hook or logger is ignored: it must not break the answer.
 */
export function reportFailure(
  log: FailureLog,
  error: unknown,
  req: Request,
  status?: number,
): void {
  const err = error instanceof Error ? error : new Error(String(error));
  try {
    log.onError?.(err, req);
  } catch {
    // A throwing hook must not turn into an unhandled rejection or a second response.
  }
  if (log.logger === undefined || req.app?.get?.('env') === 'test') return;
  try {
    log.logger.error(failureLine(err, req, status));
  } catch {
    // Same for a throwing logger.
  }
}

/**
 * `lacework-auth: GET /api/me -> 502 ERR_LW_KEY_REJECTED: <core's message>` (without `-> status`
 * for a failure that did not decide the answer, such as a response cache that failed).
 */
export function failureLine(error: Error, req: Request, status?: number): string {
  const path = (req.originalUrl ?? req.url ?? '').split('?')[0];
  const code = isLaceworkAuthError(error) ? error.code : error.name;
  const message = isLaceworkAuthError(error) ? error.message : 'unexpected error';
  const answered = status === undefined ? '' : ` -> ${status}`;
  return `lacework-auth: ${req.method} ${path}${answered} ${code}: ${message}`;
}
