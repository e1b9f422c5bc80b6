import ky from 'ky';
import { apiFailure } from '../protocol/api.js';
import { BadResponseError, type LaceworkAuthError } from '../protocol/errors.js';
import {
  createTokenProvider,
  type TokenProvider,
  type TokenProviderOptions,
} from '../provider/token-provider.js';
import { readBodyText } from '../toolkit/http-errors.js';
import {
  assertOptionsObject,
  validateBoolean,
  validateFunction,
  validateMs,
} from '../toolkit/options.js';
import { assertNothingBesideProvider, assertTokenProvider } from '../toolkit/providers.js';
import { normalizeRetry } from '../toolkit/retry-options.js';
import { createAuthFetch, tokensUsed } from './auth-fetch.js';
import { type LaceworkClient, withPaginate } from './paginate.js';

/** Options for {@link createLaceworkClient}: a token provider, or the options to create one. */
export interface LaceworkClientOptions extends TokenProviderOptions {
  /** Use this provider (shared with other code) instead of creating one. */
  tokenProvider?: TokenProvider | undefined;
  /**
   * Timeout of one attempt (API call or exchange), in ms. It covers the response body too: a
   * body still unread when it runs out fails with `ERR_LW_TIMEOUT`.
   * @default 30000
   */
  timeout?: number | undefined;
  /**
   * Retries on 429 (honouring `Retry-After` / `RateLimit-Reset` up to `maxRetryAfter`), 5xx and
   * network errors. 5xx and network errors are retried for idempotent methods and `POST .../search`.
   * @default { limit: 2, maxRetryAfter: 30000, backoffLimit: 5000 }
   */
  retry?: TokenProviderOptions['retry'];
  /**
   * Lacework answers an empty search with 204 and no body, where ky's `.json()` gives `''`. When
   * true, a 204 to a GET or a `POST …/search` reaches you as 200 `{"data": []}` instead, so
   * `(await lacework.post('Alerts/search', …).json()).data` is `[]` when nothing matched.
   * @default true
   */
  emptyData?: boolean | undefined;
}

const CLIENT_ONLY = ['tokenProvider', 'timeout', 'retry', 'fetch', 'emptyData'];

/**
 * A `ky` instance for the Lacework API v2 (`prefixUrl` = `${baseUrl}/api/v2/`). It adds
 * `Authorization: Bearer`, `Account-Name` and `Org-Access`, and `Accept: application/json` and
 * its `User-Agent` unless the request has its own (the generic `Accept` values ky's `.text()`,
 * `.blob()`, `.formData()` set become `application/json` too, as Lacework's Go SDK sends, also when
 * given explicitly; `headers: { accept: undefined }` cannot remove it); on 401/403 it refreshes
 * the token once and retries once (when the fresh token is refused too, the key lacks permission:
 * refusals on that route then fail at once, without an exchange, for `PERMISSION_COOLDOWN_MS`);
 * it retries 429/5xx with backoff honouring `Retry-After` and `RateLimit-Reset`; each attempt has
 * a timeout that covers reading the body; it follows redirects only within its base URL's origin
 * (a redirect elsewhere is `ERR_LW_CROSS_ORIGIN_REDIRECT`, and nothing is sent there); failures are
 * `LaceworkAuthError`s (`ERR_LW_UNAUTHORIZED`, `ERR_LW_RATE_LIMITED`, `ERR_LW_SERVER`,
 * `ERR_LW_HTTP`, `ERR_LW_NETWORK`, `ERR_LW_TIMEOUT`, `ERR_LW_CROSS_ORIGIN_REDIRECT`) that carry
 * status, method, URL and the server's message, never a header.
 *
 * @example
 * ```ts
 * const lacework = createLaceworkClient({ account: 'acme' }); // key from LW_* or ~/.lacework.toml
 * const profile = await lacework.get('UserProfile').json();
 * const alerts = await lacework.post('Alerts/search', { json: { timeFilter } }).json();
 * ```
 */
export function createLaceworkClient(options?: LaceworkClientOptions): LaceworkClient {
  const input = assertOptionsObject(options, 'createLaceworkClient') as LaceworkClientOptions;
  const timeout = validateMs(input.timeout, 'timeout', { min: 1 }) ?? 30_000;
  const emptyData = validateBoolean(input.emptyData, 'emptyData') ?? true;
  const retry = normalizeRetry(input.retry);
  const userFetch = validateFunction(input.fetch, 'fetch');
  let provider: TokenProvider;
  if (input.tokenProvider !== undefined) {
    provider = assertTokenProvider(input.tokenProvider);
    assertNothingBesideProvider(
      input as Record<string, unknown>,
      CLIENT_ONLY,
      'createLaceworkClient',
    );
  } else {
    const { tokenProvider: _unused, emptyData: _client, ...providerOptions } = input;
    provider = createTokenProvider(providerOptions);
  }
  const client = ky.create({
    prefixUrl: `${provider.baseUrl}/api/v2/`,
    fetch: createAuthFetch({
      provider,
      fetch: userFetch ?? ((input, init) => globalThis.fetch(input, init)),
      timeout,
      retry,
      emptyData,
    }) as typeof fetch,
    // Retries and timeouts live in the auth fetch, where they know about tokens.
    retry: 0,
    timeout: false,
    parseJson: parseApiJson,
    hooks: {
      beforeError: [
        async (error) => {
          throw await apiError(error.response, error.request);
        },
      ],
    },
  });
  return withPaginate(client, provider.baseUrl);
}

/**
 * `.json()` of an API answer: a body that is not JSON (cut off, an HTML page behind a 200) is a
 * typed `ERR_LW_BAD_RESPONSE`, like every other failure of the client, not a bare `SyntaxError`.
 */
function parseApiJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new BadResponseError(
      `The Lacework API answered with a body that is not valid JSON (${text.length} characters; it may have been cut off, or be an HTML page from a proxy in between). Retry the call; if it persists, check that the base URL points at the Lacework API.`,
    );
  }
}

async function apiError(response: Response, request: Request): Promise<LaceworkAuthError> {
  return apiFailure({
    status: response.status,
    method: request.method,
    url: request.url,
    path: new URL(request.url).pathname,
    // A server that echoes the request would otherwise put a bearer token in our message.
    body: await readBodyText(response),
    headers: response.headers,
    tokens: tokensUsed(response),
  });
}
