import { InvalidOptionError } from '@lacework-auth/core';
import type { Request, RequestHandler } from 'express';
import { toGatewayError } from './gateway-error.js';
import {
  booleanOption,
  optionsObject,
  type ProviderOptions,
  resolveShared,
  takeOwnOptions,
} from './options.js';
import type { LaceworkRequestContext } from './request-context.js';

/** Options of {@link laceworkAuth}: core's provider options plus the ones below. */
export interface LaceworkAuthOptions extends ProviderOptions {
  /**
   * Get a token before calling the next handler, so a failed exchange goes to `next(err)` before
   * any route runs. Off by default: requests that never use Lacework cost nothing.
   * @default false
   */
  eager?: boolean;
}

/**
 * Express middleware that sets `req.lacework = { getToken(), client, baseUrl }`.
 *
 * One token provider serves every request, and every `laceworkAuth()`/`laceworkProxy()` built
 * with identical options in this process shares it (so one exchange, one cached token). Options
 * are validated here, once. Lazy by default: no exchange for requests that never call
 * `getToken()` or `client`. Token failures reject with a `LaceworkGatewayError`: a
 * `LaceworkAuthError` with core's `code` and `status` 502 (key rejected, bad response, server
 * error, network), 503 (rate limited, with `headers['Retry-After']` when known) or 504
 * (timeout), never containing the secret or the token.
 *
 * @throws {InvalidOptionError} `ERR_LW_INVALID_OPTION` (and core's `ERR_LW_MISSING_CREDENTIALS` /
 *   `ERR_LW_INVALID_BASE_URL`) when the options cannot work.
 * @example
 * ```ts
 * import express from 'express';
 * import { laceworkAuth } from '@lacework-auth/express';
 *
 * const app = express();
 * app.use(laceworkAuth({ account: 'acme', keyId: process.env.LW_API_KEY, secret: process.env.LW_API_SECRET }));
 * app.get('/me', async (req, res) => {
 *   res.json(await requireLacework(req).client.get('UserProfile').json());
 * });
 * ```
 */
export function laceworkAuth(options?: LaceworkAuthOptions): RequestHandler {
  const opts = optionsObject(options, 'laceworkAuth');
  const own = takeOwnOptions(opts, ['eager'] as const);
  const eager = booleanOption(own.eager, 'eager', false);
  const lw = resolveShared(opts, 'laceworkAuth', ['eager']);
  const { gateway } = lw;
  const context: LaceworkRequestContext = Object.freeze({
    getToken: (getTokenOptions?: Parameters<LaceworkRequestContext['getToken']>[0]) =>
      getTokenOptions === undefined ? gateway.getToken() : gateway.getToken(getTokenOptions),
    get client() {
      return lw.client;
    },
    get baseUrl() {
      return lw.provider.baseUrl;
    },
  });

  if (!eager) {
    return function laceworkAuthHandler(req, _res, next) {
      req.lacework = context;
      next();
    };
  }
  return function laceworkAuthEagerHandler(req, _res, next) {
    req.lacework = context;
    gateway.getToken().then(
      () => next(),
      (error: unknown) => next(toGatewayError(error)),
    );
  };
}

/**
 * `req.lacework`, or a clear error when {@link laceworkAuth} was not mounted before this route
 * (instead of `Cannot read properties of undefined`). Saves a non-null assertion in TypeScript.
 *
 * @throws {InvalidOptionError} `ERR_LW_INVALID_OPTION` when `laceworkAuth()` did not run for `req`.
 * @example
 * ```ts
 * app.get('/me', async (req, res) => {
 *   res.json(await requireLacework(req).client.get('UserProfile').json());
 * });
 * ```
 */
export function requireLacework(req: Request): LaceworkRequestContext {
  if (req.lacework === undefined) {
    throw new InvalidOptionError(
      'req.lacework is not set: mount laceworkAuth() before this route (app.use(laceworkAuth(...))).',
      { option: 'laceworkAuth' },
    );
  }
  return req.lacework;
}
