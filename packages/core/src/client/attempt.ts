import type { RateBudget } from '../budget/rate-budget.js';
import type { LaceworkAuthError } from '../protocol/errors.js';
import { bindBody, Deadline } from '../toolkit/body-deadline.js';
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
  /** The key's rate budget: each attempt waits for room, and is counted from its answer. */
  budget?: RateBudget | undefined;
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
  const caller = spec.request.signal;
  // The key's budget (shared with token exchanges): wait for room before the timeout starts.
  // (No await at all without a budget: every microtask counts on the hot path.)
  const ticket = context.budget ? await context.budget.acquire({ signal: caller }) : undefined;
  const deadline = new Deadline(context.timeout, caller);
  const failure = (error: unknown) =>
    transportError(
      deadline.timedOut ? Object.assign(new Error('timeout'), { name: 'TimeoutError' }) : error,
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
      { ...spec, init: context.init, signal: deadline.signal },
      context.origin,
      context.tokens,
    );
  } catch (error) {
    deadline.stop();
    if (ticket) await ticket.done();
    if (caller?.aborted) throw error;
    const converted = failure(error);
    if (!converted) throw error;
    return { error: converted };
  }
  if (ticket) await ticket.done(response);
  return {
    response,
    handOut() {
      // The caller's abort cuts the body too, with the caller's reason; the timer, ERR_LW_TIMEOUT.
      bindBody(response, deadline, () =>
        deadline.timedOut ? failure(new Error('timeout')) : caller?.reason,
      );
      // A body nobody reads must not keep the process alive.
      deadline.unref();
      return response;
    },
    async discard() {
      deadline.stop();
      await response.body?.cancel().catch(() => undefined);
    },
  };
}
