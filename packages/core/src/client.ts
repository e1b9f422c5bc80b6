import ky, { type HTTPError } from 'ky';
import { bindBodyToSignal } from './body-deadline.js';
import { emptyDataOn204 } from './empty-data.js';
import {
  BadResponseError,
  HttpError,
  InvalidOptionError,
  type LaceworkAuthError,
  RateLimitedError,
  ServerError,
  UnauthorizedError,
} from './errors.js';
import { readBodyText, serverMessage, transportError } from './http-errors.js';
import { type LaceworkClient, withPaginate } from './paginate.js';
import { SAFE_INPUT, showInput } from './redact.js';
import {
  backoffDelay,
  normalizeRetry,
  parseRetryAfter,
  type RetryPolicy,
  sleep,
} from './retry-policy.js';
import { fetchSameOriginRedirects } from './same-origin-redirects.js';
import {
  createTokenProvider,
  type TokenProvider,
  type TokenProviderOptions,
} from './token-provider.js';
import { PERMISSION_COOLDOWN_MS, tokenRefusalsFor } from './token-refusals.js';
import { assertOptionsObject, describe, validateBoolean, validateMs } from './validate.js';
import { USER_AGENT } from './version.js';

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

// Which tokens a response's request carried, so error messages can redact them.
const tokensUsed = new WeakMap<Response, string[]>();

const CLIENT_ONLY = ['tokenProvider', 'timeout', 'retry', 'fetch', 'emptyData'];
const IDEMPOTENT = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);
const RETRY_STATUSES = new Set([429, 500, 502, 503, 504]);

/**
 * A `ky` instance for the Lacework API v2 (`prefixUrl` = `${baseUrl}/api/v2/`). It adds
 * `Authorization: Bearer`, `Account-Name` and `Org-Access`; on 401/403 it refreshes the token once
 * and retries once (when the fresh token is refused too, the key lacks permission: refusals on that
 * route then fail at once, without an exchange, for {@link PERMISSION_COOLDOWN_MS}); it retries
 * 429/5xx with backoff honouring `Retry-After` and `RateLimit-Reset`; each attempt has a timeout;
 * it follows redirects only within its base URL's origin (a redirect elsewhere is
 * `ERR_LW_CROSS_ORIGIN_REDIRECT`, and nothing is sent there); failures are
 * {@link LaceworkAuthError}s (`ERR_LW_UNAUTHORIZED`, `ERR_LW_RATE_LIMITED`, `ERR_LW_SERVER`,
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
  if (input.fetch !== undefined && typeof input.fetch !== 'function') {
    throw new InvalidOptionError(`\`fetch\` must be a function, got ${describe(input.fetch)}.`, {
      option: 'fetch',
    });
  }
  let provider: TokenProvider;
  if (input.tokenProvider !== undefined) {
    const candidate = input.tokenProvider as Partial<TokenProvider> | null;
    if (
      candidate === null ||
      typeof candidate !== 'object' ||
      typeof candidate.getToken !== 'function' ||
      typeof candidate.invalidate !== 'function' ||
      typeof candidate.baseUrl !== 'string'
    ) {
      throw new InvalidOptionError(
        `\`tokenProvider\` must come from createTokenProvider() (getToken, invalidate, baseUrl), got ${describe(input.tokenProvider)}.`,
        { option: 'tokenProvider' },
      );
    }
    const extra = Object.keys(input).filter(
      (key) => !CLIENT_ONLY.includes(key) && (input as Record<string, unknown>)[key] !== undefined,
    );
    if (extra.length > 0) {
      throw new InvalidOptionError(
        `\`tokenProvider\` and \`${extra[0]}\` contradict each other: configure the key on the provider.`,
        { option: extra[0] },
      );
    }
    provider = input.tokenProvider;
  } else {
    const { tokenProvider: _unused, emptyData: _client, ...providerOptions } = input;
    provider = createTokenProvider(providerOptions);
  }

  const refusals = tokenRefusalsFor(provider);
  const budget = provider.budget;
  const baseFetch = input.fetch ?? globalThis.fetch.bind(globalThis);

  const origin = new URL(provider.baseUrl).origin;
  const authFetch = async (request: Request, init?: RequestInit): Promise<Response> => {
    const method = request.method.toUpperCase();
    if (new URL(request.url).origin !== origin) {
      // A full URL or Request for another host bypasses prefixUrl; the token must not follow it.
      // The other origin is the caller's input: shown only when it looks like a plain host.
      const other = showInput(new URL(request.url).origin, SAFE_INPUT.host);
      throw new InvalidOptionError(
        `This Lacework client only sends requests to ${origin}; got a request for ${other}.`,
        { method },
      );
    }
    const canRetryFailure =
      IDEMPOTENT.has(method) ||
      (method === 'POST' && /\/search\/?$/i.test(new URL(request.url).pathname));
    let replaced = false;
    let retries = 0;
    const tokens: string[] = [];
    let replacement: string | undefined;
    for (;;) {
      const token = replacement ?? (await provider.getToken()).token;
      replacement = undefined;
      tokens.push(token);
      const attempt = request.clone();
      const headers = new Headers(attempt.headers);
      headers.set('authorization', `Bearer ${token}`);
      if (provider.subAccount && !headers.has('account-name')) {
        headers.set('account-name', provider.subAccount);
      }
      if (provider.orgAccess && !headers.has('org-access')) headers.set('org-access', 'true');
      // The key's budget (shared with token exchanges): wait for room before the timeout starts.
      const ticket = await budget?.acquire({ signal: request.signal });
      const controller = new AbortController();
      const started = Date.now();
      const timer = setTimeout(() => controller.abort(), timeout);
      let response: Response;
      try {
        response = await fetchSameOriginRedirects(
          baseFetch,
          new Request(attempt, {
            headers,
            signal: AbortSignal.any([request.signal, controller.signal]),
          }),
          init,
          origin,
          tokens,
        );
      } catch (error) {
        clearTimeout(timer);
        await ticket?.done();
        if (request.signal.aborted) throw error;
        const converted = transportError(
          controller.signal.aborted
            ? Object.assign(new Error('timeout'), { name: 'TimeoutError' })
            : error,
          { method, url: request.url, timeout, what: 'The Lacework API request' },
          tokens,
        );
        if (!converted) throw error;
        if (converted.code === 'ERR_LW_NETWORK' && canRetryFailure && retries < retry.limit) {
          retries++;
          await sleep(backoffDelay(retries, retry), request.signal);
          continue;
        }
        throw converted;
      }
      clearTimeout(timer);
      await ticket?.done(response);
      // What is left of this attempt's timeout goes to reading the body (see withBodyTimeout).
      const bodyBudget = Math.max(1, timeout - (Date.now() - started));
      const status = response.status;
      if (status === 401 || status === 403) {
        const route = `${method} ${new URL(request.url).pathname}`;
        if (replaced) {
          refusals.refusedAfterReplace(route, token);
        } else {
          replaced = true;
          // `undefined`: this route refused a fresh token lately (permissions); another exchange
          // would only spend the rate limit.
          replacement = await refusals.replace(token, route);
          if (replacement !== undefined) {
            await response.body?.cancel().catch(() => undefined);
            continue;
          }
        }
      }
      if (
        RETRY_STATUSES.has(status) &&
        retries < retry.limit &&
        (status === 429 || canRetryFailure)
      ) {
        const wait = retryWait(response, retries + 1, retry);
        if (wait !== undefined) {
          retries++;
          await response.body?.cancel().catch(() => undefined);
          await sleep(wait, request.signal);
          continue;
        }
      }
      const timed = withBodyTimeout(response, controller, request.signal, bodyBudget, () =>
        transportError(
          Object.assign(new Error('timeout'), { name: 'TimeoutError' }),
          { method, url: request.url, timeout, what: 'The Lacework API request' },
          tokens,
        ),
      );
      tokensUsed.set(timed, tokens);
      return timed;
    }
  };

  const client = ky.create({
    prefixUrl: `${provider.baseUrl}/api/v2/`,
    fetch: authFetch as typeof fetch,
    // Retries and timeouts live in authFetch, where they know about tokens.
    retry: 0,
    timeout: false,
    headers: { accept: 'application/json', 'user-agent': USER_AGENT },
    parseJson: parseApiJson,
    hooks: {
      afterResponse: emptyData ? [emptyDataOn204] : [],
      beforeError: [
        async (error) => {
          throw await apiError(error);
        },
      ],
    },
  });
  return withPaginate(client, provider.baseUrl);
}

/**
 * `response` with its body bound to the attempt's timeout: fetch resolves once the headers are in,
 * and a server that then stalls mid-body would hang the caller's `.json()` for as long as the
 * socket lives. When `budgetMs` runs out before the body is read, `controller` aborts the transfer
 * and the read fails with `ERR_LW_TIMEOUT`. The timer stops as soon as the body is read, cancelled
 * or fails.
 */
function withBodyTimeout(
  response: Response,
  controller: AbortController,
  callerSignal: AbortSignal,
  budgetMs: number,
  timeoutError: () => Error | undefined,
): Response {
  const timer = setTimeout(() => controller.abort(), budgetMs);
  // A body nobody reads must not keep the process alive; a body still arriving keeps its socket.
  timer.unref?.();
  return bindBodyToSignal(
    response,
    [controller.signal, callerSignal],
    (signal) => (signal === controller.signal && timeoutError()) || (signal.reason as Error),
    () => clearTimeout(timer),
  );
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

/** Delay before retrying a 429/5xx, or `undefined` when the server asks for too long a wait. */
function retryWait(response: Response, attempt: number, policy: RetryPolicy): number | undefined {
  const asked =
    response.status === 429 || response.status === 503
      ? parseRetryAfter(response.headers)
      : undefined;
  if (asked === undefined) return backoffDelay(attempt, policy);
  return asked <= policy.maxRetryAfter ? asked : undefined;
}

async function apiError(error: HTTPError): Promise<LaceworkAuthError> {
  const { response, request } = error;
  const status = response.status;
  const method = request.method.toUpperCase();
  const url = request.url;
  // A server that echoes the request would otherwise put a bearer token in our message.
  const said = serverMessage(await readBodyText(response), tokensUsed.get(response) ?? []);
  const because = said ? `: "${said}"` : '';
  const where = `${method} ${new URL(url).pathname}`;
  const details = { status, method, url };
  if (status === 401 || status === 403) {
    return new UnauthorizedError(
      `The API key lacks permission for ${where}: Lacework refused it (HTTP ${status}${because}) even with a freshly exchanged token. Give the key's user access to this resource (and sub-account, if one is set) or use another key. For the next ${PERMISSION_COOLDOWN_MS / 60_000} minutes, refusals on this route fail at once without a token exchange, to spare the rate limit.`,
      details,
    );
  }
  if (status === 429) {
    const retryAfterMs = parseRetryAfter(response.headers);
    return new RateLimitedError(
      `Lacework rate-limited ${where} (HTTP 429${because}).${retryAfterMs === undefined ? '' : ` Retry after ${Math.ceil(retryAfterMs / 1000)} s.`} The limit is about 480 requests/hour per user.`,
      { ...details, retryAfterMs },
    );
  }
  if (status >= 500) {
    return new ServerError(
      `Lacework failed on ${where} (HTTP ${status}${because}); try again later.`,
      details,
    );
  }
  return new HttpError(`Lacework answered ${where} with HTTP ${status}${because}.`, details);
}
