import { apiHeaders, isRepeatable, isSearch } from '../protocol/api.js';
import { InvalidOptionError } from '../protocol/errors.js';
import { SAFE_INPUT, showInput } from '../protocol/redact.js';
import type { RetryPolicy } from '../protocol/retry.js';
import { freshToken, type TokenProvider } from '../provider/token-provider.js';
import { sleep } from '../toolkit/retry-options.js';
import { USER_AGENT } from '../version.js';
import { type Attempt, type AttemptContext, type RequestSpec, sendAttempt } from './attempt.js';
import { decide, type RequestState } from './decision.js';
import { tokenRefusalsFor } from './token-refusals.js';

/** What {@link createAuthFetch} needs. */
export interface AuthFetchOptions {
  provider: TokenProvider;
  fetch: (input: string | Request, init: RequestInit) => Promise<Response>;
  timeout: number;
  retry: RetryPolicy;
  /** Turn a 204 to a GET or a search into 200 `{"data": []}`. */
  emptyData: boolean;
}

const TOKENS = Symbol('lacework-auth tokens');
const NO_OWN_HEADERS = { account: false, org: false };
// The Accept values ky's body shortcuts set when a request has none (ky `responseTypes`).
const KY_SHORTCUT_ACCEPT = new Set(['text/*', '*/*', 'multipart/form-data']);
// What may follow the origin in a URL of that origin (`''`: the URL ends there).
const ORIGIN_END = /^[/?#]?$/;

/** The tokens a handed-out response was requested with, so error messages can redact them. */
export function tokensUsed(response: Response): readonly string[] {
  return (response as { [TOKENS]?: readonly string[] })[TOKENS] ?? [];
}

/**
 * The `fetch` a Lacework ky instance runs on: each attempt gets the current token, `Account-Name`
 * and `Org-Access` ({@link sendAttempt}); after each one {@link decide} says whether to hand the
 * answer out, replace the token (401/403, once), or retry (429, 5xx, network errors) — this
 * function is the retry loop between them. A request for another origin is refused: the token
 * never leaves the client's base URL.
 */
export function createAuthFetch(options: AuthFetchOptions) {
  const { provider } = options;
  const origin = new URL(provider.baseUrl).origin;
  const refusals = tokenRefusalsFor(provider);

  // The auth headers of the last token, built once per token; a request that sets its own
  // Account-Name or Org-Access keeps it.
  let auth: { token: string; headers: Record<string, string> } | undefined;
  const authFor = (token: string, own: { account: boolean; org: boolean }) => {
    if (auth?.token !== token) {
      const { subAccount, orgAccess } = provider;
      auth = { token, headers: apiHeaders({ token, subAccount, orgAccess }) };
    }
    if (!own.account && !own.org) return auth.headers;
    const headers = { ...auth.headers };
    if (own.account) delete headers['Account-Name'];
    if (own.org) delete headers['Org-Access'];
    return headers;
  };

  // What every attempt of this client shares.
  const context: AttemptContext = { fetch: options.fetch, origin, timeout: options.timeout };

  return async (request: Request, init?: RequestInit): Promise<Response> => {
    const method = request.method.toUpperCase();
    // Request URLs are serialised (lower-case host, no default port): the origin is a prefix.
    const href = request.url;
    if (!href.startsWith(origin) || !ORIGIN_END.test(href.charAt(origin.length))) {
      // A full URL or Request for another host bypasses prefixUrl; the token must not follow it.
      // The other origin is the caller's input: shown only when it looks like a plain host.
      throw new InvalidOptionError(
        `This Lacework client only sends requests to ${origin}; got a request for ${showInput(new URL(href).origin, SAFE_INPUT.host)}.`,
        { method, option: 'input' },
      );
    }
    const rest = href.slice(origin.length);
    const end = rest.search(/[?#]/);
    const path = (end === -1 ? rest : rest.slice(0, end)) || '/';
    const tokens: string[] = [];
    const spec: RequestSpec = {
      request,
      method,
      url: href,
      // Read once: every attempt (a retry, a redirect) sends the same bytes again.
      body: request.body === null ? null : await request.arrayBuffer(),
      // ky's options that are not Request fields (e.g. an undici `dispatcher`) go to fetch as is.
      init,
      tokens,
      budget: provider.budget,
    };
    // Set here rather than as ky defaults, which ky would merge again for every call (two
    // Headers objects and an iteration: a measurable share of the client's cost). A request's own
    // values are kept, except the generic Accept of ky's `.text()`, `.blob()`, … shortcuts:
    // Lacework's API serves JSON, and its Go SDK always asks for it (go-sdk `api/http.go`).
    const headers = request.headers;
    const accept = headers.get('accept');
    if (accept === null || KY_SHORTCUT_ACCEPT.has(accept))
      headers.set('accept', 'application/json');
    if (!headers.has('user-agent')) headers.set('user-agent', USER_AGENT);
    // Only a provider with a sub-account or org access adds headers a request may set itself.
    const ownHeaders =
      provider.subAccount || provider.orgAccess
        ? { account: request.headers.has('account-name'), org: request.headers.has('org-access') }
        : NO_OWN_HEADERS;
    const state: RequestState = {
      replaced: false,
      retries: 0,
      repeatable: isRepeatable(method, path),
      policy: options.retry,
    };
    let token = freshToken(provider) ?? (await provider.getToken()).token;
    for (;;) {
      tokens.push(token);
      const attempt = await sendAttempt(spec, authFor(token, ownHeaders), context);
      // A response is an outcome as it is (its status and headers).
      const decision = decide('error' in attempt ? attempt : attempt.response, state);
      if (decision.action === 'fail') throw decision.error;
      if (decision.action === 'retry') {
        if (!('error' in attempt)) await attempt.discard();
        state.retries++;
        await sleep(decision.waitMs, request.signal);
        token = freshToken(provider) ?? (await provider.getToken()).token;
        continue;
      }
      const answer = attempt as Attempt;
      if (decision.action === 'replace-token') {
        state.replaced = true;
        // `undefined`: this route refused a fresh token lately (permissions); another exchange
        // would only spend the rate limit.
        const replacement = await refusals.replace(token, `${method} ${path}`);
        if (replacement !== undefined) {
          await answer.discard();
          token = replacement;
          continue;
        }
      } else if (decision.refusedAfterReplace) {
        refusals.refusedAfterReplace(`${method} ${path}`, token);
      }
      return handOut(answer, method, path, tokens, options.emptyData);
    }
  };
}

/** The answer as the caller gets it. */
function handOut(
  attempt: Attempt,
  method: string,
  path: string,
  tokens: readonly string[],
  emptyData: boolean,
): Response {
  const { response } = attempt;
  let result: Response;
  if (emptyData && response.status === 204 && (method === 'GET' || isSearch(method, path))) {
    // Lacework answers a search that matches nothing with 204 and no body (python-sdk
    // `laceworksdk/http_session.py`, go-sdk `api/http.go`): callers get an empty page instead.
    void attempt.discard();
    const headers = new Headers(response.headers);
    headers.set('content-type', 'application/json');
    headers.delete('content-length');
    result = new Response('{"data":[]}', { status: 200, statusText: 'OK', headers });
    // A constructed Response has no URL; ky and callers may read it.
    Object.defineProperty(result, 'url', { value: response.url });
  } else if (response.body === null) {
    void attempt.discard();
    result = response;
  } else {
    result = attempt.handOut();
  }
  // A property rather than a WeakMap entry: cheaper for the garbage collector, one per response.
  (result as { [TOKENS]?: readonly string[] })[TOKENS] = tokens;
  return result;
}
