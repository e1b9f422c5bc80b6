import type { AccessToken, GetTokenOptions } from '@lacework-auth/core';
import type { LaceworkClient } from './shared-provider.js';

/**
 * What {@link laceworkAuth} puts on `req.lacework`. The same object serves every request of one
 * middleware; nothing is exchanged until a route calls `getToken()` or uses `client`.
 */
export interface LaceworkRequestContext {
  /**
   * A valid bearer token (cached, refreshed ahead of expiry, one exchange for concurrent
   * callers). Rejects with a `LaceworkGatewayError` whose `status` is 502/503/504 (500 when the
   * server is misconfigured), so an `await` in an Express 5 route lands in the error handler with
   * a status meant for the client.
   */
  getToken(options?: GetTokenOptions): Promise<AccessToken>;
  /**
   * A `ky` instance for `${baseUrl}/api/v2/` that adds the token, retries 401/403 once with a new
   * token and retries 429/5xx (see `createLaceworkClient` in `@lacework-auth/core`). Token
   * failures reject with a `LaceworkGatewayError`; API failures with core's errors.
   * @example
   * ```ts
   * const profile = await requireLacework(req).client.get('UserProfile').json();
   * ```
   */
  readonly client: LaceworkClient;
  /** The Lacework API base URL, e.g. `https://acme.lacework.net`. */
  readonly baseUrl: string;
}

declare global {
  namespace Express {
    interface Request {
      /** Set by `laceworkAuth()` from `@lacework-auth/express`. */
      lacework?: LaceworkRequestContext;
    }
  }
}
