import { CrossOriginRedirectError } from '../protocol/errors.js';
import { redactText } from '../protocol/redact.js';

/** Redirects followed for one API request before its last 3xx is handed to the caller. */
export const MAX_REDIRECTS = 5;

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
// Headers that describe a body: dropped when a redirect turns the request into a GET.
const BODY_HEADERS = ['content-type', 'content-length', 'content-encoding', 'content-language'];

/** A request as {@link sendWithinOrigin} sends it: its body is bytes, so it can be sent again. */
export interface SendSpec {
  /** The request; without a body it is sent as is, with its headers. */
  request: Request;
  method: string;
  url: string;
  body: ArrayBuffer | null;
  /** Further options for fetch (ky passes the ones `Request` does not know). */
  init?: RequestInit | undefined;
}

/**
 * Sends `first` with `fetch` (aborted by `signal`) without letting `fetch` follow redirects, and
 * follows them itself only within `origin` (at most {@link MAX_REDIRECTS}), as fetch would: 307/308
 * keep the method and body, 303 (and 301/302 after a POST) become a GET without a body. A redirect
 * to another origin, or to a URL with user info, is not followed: {@link CrossOriginRedirectError},
 * and nothing is sent there. A request made with `redirect: 'manual'` or `'error'` gets the 3xx as
 * is.
 *
 * @param redact - values (tokens) that must not appear in the error message
 */
export async function sendWithinOrigin(
  fetch: (input: string | Request, init: RequestInit) => Promise<Response>,
  first: SendSpec,
  signal: AbortSignal,
  origin: string,
  redact: readonly string[],
): Promise<Response> {
  if (first.body !== null) return followRedirects(fetch, first, signal, origin, redact, undefined);
  // The usual case, one hop and no body to send again: the request itself, no copy of it.
  const response = await fetch(first.request, hopInit(first.init, signal));
  return isFollowed(first.request, response)
    ? followRedirects(fetch, first, signal, origin, redact, response)
    : response;
}

/** The options of one hop: ky's extra fetch options (usually none), our signal, no redirects. */
function hopInit(init: RequestInit | undefined, signal: AbortSignal): RequestInit {
  if (init !== undefined) {
    for (const _ in init) return { ...init, signal, redirect: 'manual' };
  }
  return { signal, redirect: 'manual' };
}

/** Whether `response` is a redirect that `request` asks to follow. */
function isFollowed(request: Request, response: Response): boolean {
  return REDIRECT_STATUSES.has(response.status) && request.redirect === 'follow';
}

/** The hops of {@link sendWithinOrigin}; `answered`: the first hop's answer, when already in. */
async function followRedirects(
  fetch: (input: string | Request, init: RequestInit) => Promise<Response>,
  first: SendSpec,
  signal: AbortSignal,
  origin: string,
  redact: readonly string[],
  answered: Response | undefined,
): Promise<Response> {
  const follow = first.request.redirect === 'follow';
  let { url, method, body } = first;
  let headers: Headers = first.request.headers;
  for (let hop = 0; ; hop++) {
    const response =
      hop === 0 && answered !== undefined
        ? answered
        : await fetch(url, {
            ...first.init,
            method,
            headers,
            body,
            signal,
            redirect: 'manual',
          });
    if (!follow || !REDIRECT_STATUSES.has(response.status)) {
      return hop === 0 ? response : markRedirected(response);
    }
    const location = response.headers.get('location');
    if (location === null) return hop === 0 ? response : markRedirected(response);
    let target: URL;
    try {
      target = new URL(location, url);
    } catch {
      return response;
    }
    if (target.origin !== origin || target.username !== '' || target.password !== '') {
      await response.body?.cancel().catch(() => undefined);
      const path = new URL(first.url).pathname;
      throw new CrossOriginRedirectError(
        `Lacework answered ${first.method.toUpperCase()} ${path} with a redirect (HTTP ${response.status}) to ${describeTarget(target, redact)}, which is not ${origin}. It was not followed: nothing (body, token, Account-Name, Org-Access) was sent there. If the API really moved, set \`baseUrl\` to its new address.`,
        { status: response.status, method: first.method.toUpperCase(), url: first.url },
      );
    }
    if (hop >= MAX_REDIRECTS) return response;
    await response.body?.cancel().catch(() => undefined);
    const upper = method.toUpperCase();
    const toGet =
      (response.status === 303 && upper !== 'HEAD') ||
      ((response.status === 301 || response.status === 302) && upper === 'POST');
    if (toGet) {
      headers = new Headers(headers);
      for (const name of BODY_HEADERS) headers.delete(name);
      method = 'GET';
      body = null;
    }
    url = target.href;
  }
}

function markRedirected(response: Response): Response {
  Object.defineProperty(response, 'redirected', { value: true });
  return response;
}

// Only the origin: a path or query chosen by the server could echo a token.
function describeTarget(target: URL, redact: readonly string[]): string {
  if (target.username !== '' || target.password !== '') return 'a URL with user info';
  return target.origin === 'null' ? 'another location' : redactText(target.origin, redact);
}
