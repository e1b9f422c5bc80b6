import type { LaceworkAuthError } from '../protocol/errors.js';
import { transportError } from '../toolkit/http-errors.js';
import { sendWithinOrigin } from './same-origin-redirects.js';

/** One API request, ready to be sent any number of times (its body is read once, up front). */
export interface RequestSpec {
  /**
   * The request as ky built it. Each attempt sets its auth headers on `request.headers`; its
   * signal (ky's, which carries the caller's own) aborts every attempt.
   */
  request: Request;
  method: string;
  url: string;
  /** The body, read once (`null` for none): every attempt sends the same bytes. */
  body: ArrayBuffer | null;
}

/** What one attempt needs besides the request. */
export interface AttemptContext {
  fetch: (input: string | Request, init: RequestInit) => Promise<Response>;
  /** Options of the caller's that fetch takes and `Request` does not (e.g. `dispatcher`). */
  init?: RequestInit | undefined;
  /** The client's origin: redirects are followed only within it. */
  origin: string;
  /** Timeout of the attempt, in ms, reading the body included. */
  timeout: number;
  /** Tokens sent so far: kept out of error messages. */
  tokens: readonly string[];
}

/**
 * An attempt in flight: the response (headers in), and the deadline that still runs for its body.
 * Exactly one of {@link Attempt.handOut} and {@link Attempt.discard} must follow.
 */
export interface Attempt {
  response: Response;
  /**
   * The response for the caller: reading its body (`json()`, `text()`, …) fails with
   * `ERR_LW_TIMEOUT` when what is left of the timeout runs out first, and stops the deadline.
   */
  handOut(): Response;
  /** Drops the body (a response that is not handed out) and stops the deadline. */
  discard(): Promise<void>;
}

/**
 * Sends one attempt of `spec` with `auth` headers set: one deadline covers the headers and the
 * body (a server that stalls mid-body fails with `ERR_LW_TIMEOUT` too), redirects are followed only
 * within the client's origin, and a transport failure comes back as a typed error (never the
 * request object, whose headers hold the token).
 */
export async function sendAttempt(
  spec: RequestSpec,
  auth: Record<string, string>,
  context: AttemptContext,
): Promise<Attempt | { error: LaceworkAuthError }> {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, context.timeout);
  // The caller's signal aborts the attempt too (without AbortSignal.any, which is slow and
  // retains signals in Node 20).
  const caller = spec.request.signal;
  const onAbort = () => controller.abort(caller?.reason);
  caller?.addEventListener('abort', onAbort, { once: true });
  const stop = () => {
    clearTimeout(timer);
    caller?.removeEventListener('abort', onAbort);
  };
  const failure = (error: unknown) =>
    transportError(
      timedOut ? Object.assign(new Error('timeout'), { name: 'TimeoutError' }) : error,
      {
        method: spec.method,
        url: spec.url,
        timeout: context.timeout,
        what: 'The Lacework API request',
      },
      context.tokens,
    );
  let response: Response;
  try {
    if (caller?.aborted) throw caller.reason;
    const headers = spec.request.headers;
    for (const name in auth) headers.set(name, auth[name] as string);
    response = await sendWithinOrigin(
      context.fetch,
      { ...spec, init: context.init, signal: controller.signal },
      context.origin,
      context.tokens,
    );
  } catch (error) {
    stop();
    if (caller?.aborted) throw error;
    const converted = failure(error);
    if (!converted) throw error;
    return { error: converted };
  }
  return {
    response,
    handOut() {
      bindBody(response, stop, () => (timedOut ? failure(new Error('timeout')) : undefined));
      // A body streamed through `response.body` is not watched: the timer stays armed, and aborts
      // the transfer if it runs out first; unref'd, it never keeps the process alive.
      timer.unref?.();
      return response;
    },
    async discard() {
      stop();
      await response.body?.cancel().catch(() => undefined);
    },
  };
}

const BODY_METHODS = ['arrayBuffer', 'blob', 'bytes', 'formData', 'json', 'text'] as const;

/**
 * Makes `response`'s body methods stop the attempt's deadline once the body is read, and fail
 * with `ERR_LW_TIMEOUT` when the deadline cut the transfer: the response goes out as fetch made
 * it, without copying or re-streaming its body.
 */
function bindBody(
  response: Response,
  stop: () => void,
  timeoutError: () => LaceworkAuthError | undefined,
): void {
  const methods = response as unknown as Record<string, () => Promise<unknown>>;
  for (const name of BODY_METHODS) {
    const original = methods[name];
    if (typeof original !== 'function') continue;
    methods[name] = () =>
      original.call(response).then(
        (value) => {
          stop();
          return value;
        },
        (error: unknown) => {
          stop();
          throw timeoutError() ?? error;
        },
      );
  }
}
