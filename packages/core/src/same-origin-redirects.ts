import { CrossOriginRedirectError } from './protocol/errors.js';
import { redactText } from './protocol/redact.js';

/** Redirects followed for one API request before its last 3xx is handed to the caller. */
export const MAX_REDIRECTS = 5;

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
// Headers that describe a body: dropped when a redirect turns the request into a GET.
const BODY_HEADERS = ['content-type', 'content-length', 'content-encoding', 'content-language'];

/**
 * Sends `request` with `fetch` without letting `fetch` follow redirects, and follows them itself
 * only within `origin` (at most {@link MAX_REDIRECTS}), as fetch would: 307/308 keep the method
 * and body, 303 (and 301/302 after a POST) become a GET without a body. A redirect to another
 * origin, or to a URL with user info, is not followed: {@link CrossOriginRedirectError}, and
 * nothing is sent there. A request made with `redirect: 'manual'` or `'error'` gets the 3xx as is.
 *
 * @param redact - values (tokens) that must not appear in the error message
 */
export async function fetchSameOriginRedirects(
  send: (request: Request, init?: RequestInit) => Promise<Response>,
  first: Request,
  init: RequestInit | undefined,
  origin: string,
  redact: readonly string[],
): Promise<Response> {
  const follow = first.redirect === 'follow';
  const manualInit = init === undefined ? undefined : { ...init, redirect: 'manual' as const };
  let request = first;
  for (let hop = 0; ; hop++) {
    // Another copy of the body, for a 307/308 that must send it again.
    const spare = follow && request.body !== null ? request.clone() : undefined;
    const response = await send(new Request(request, { redirect: 'manual' }), manualInit);
    const location = response.headers.get('location');
    if (!follow || !REDIRECT_STATUSES.has(response.status) || location === null) {
      await spare?.body?.cancel().catch(() => undefined);
      return hop === 0 ? response : markRedirected(response);
    }
    let target: URL;
    try {
      target = new URL(location, request.url);
    } catch {
      await spare?.body?.cancel().catch(() => undefined);
      return response;
    }
    if (target.origin !== origin || target.username !== '' || target.password !== '') {
      await response.body?.cancel().catch(() => undefined);
      await spare?.body?.cancel().catch(() => undefined);
      throw new CrossOriginRedirectError(
        `Lacework answered ${first.method.toUpperCase()} ${new URL(first.url).pathname} with a redirect (HTTP ${response.status}) to ${describeTarget(target, redact)}, which is not ${origin}. It was not followed: nothing (body, token, Account-Name, Org-Access) was sent there. If the API really moved, set \`baseUrl\` to its new address.`,
        { status: response.status, method: first.method.toUpperCase(), url: first.url },
      );
    }
    if (hop >= MAX_REDIRECTS) {
      await spare?.body?.cancel().catch(() => undefined);
      return response;
    }
    await response.body?.cancel().catch(() => undefined);
    const method = request.method.toUpperCase();
    const toGet =
      (response.status === 303 && method !== 'HEAD') ||
      ((response.status === 301 || response.status === 302) && method === 'POST');
    const headers = new Headers(request.headers);
    if (toGet) for (const name of BODY_HEADERS) headers.delete(name);
    if (toGet) await spare?.body?.cancel().catch(() => undefined);
    request = new Request(target, {
      method: toGet ? 'GET' : method,
      headers,
      body: toGet ? null : (spare?.body ?? null),
      signal: request.signal,
      redirect: 'follow',
      // Needed by Node's fetch for a streamed body.
      duplex: 'half',
    } as RequestInit);
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
