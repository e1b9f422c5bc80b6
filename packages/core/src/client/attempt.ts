import type { RateBudget } from '../budget/rate-budget.js';
import type { LaceworkAuthError } from '../protocol/errors.js';
import { bindBody, type CutSource, Deadline } from '../toolkit/body-deadline.js';
import { transportError } from '../toolkit/http-errors.js';
import { type SendSpec, sendWithinOrigin } from './same-origin-redirects.js';

/** One API request, ready to be sent any number of times (its body is read once, up front). */
export interface RequestSpec extends SendSpec {
  /**
   * The request as ky built it. Each attempt sets its auth headers on `request.headers`; its
   * signal (ky's, which carries the caller's own) aborts every attempt.
   */
  request: Request;
  /** Tokens sent so far: kept out of error messages. */
  tokens: readonly string[];
  /** The key's rate budget: each attempt waits for room, and is counted from its answer. */
  budget?: RateBudget | undefined;
}

/** What every attempt of a client needs besides the request (one object per client). */
export interface AttemptContext {
  fetch: (input: string | Request, init: RequestInit) => Promise<Response>;
  /** The client's origin: redirects are followed only within it. */
  origin: string;
  /** Timeout of the attempt, in ms, reading the body included. */
  timeout: number;
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

/** An attempt that got no answer: a typed transport failure. */
export interface FailedAttempt {
  error: LaceworkAuthError;
}

/**
 * Sends one attempt of `spec` with `auth` headers set: one deadline covers the headers and the
 * body (a server that stalls mid-body fails with `ERR_LW_TIMEOUT` too), redirects are followed only
 * within the client's origin, and a transport failure comes back as a typed error (never the
 * request object, whose headers hold the token). The caller's abort rejects with its reason.
 */
export function sendAttempt(
  spec: RequestSpec,
  auth: Record<string, string>,
  context: AttemptContext,
): Promise<Attempt | FailedAttempt> {
  // Without a budget: no async step of its own (every promise counts on the hot path).
  return spec.budget ? sendCounted(spec, auth, context, spec.budget) : send(spec, auth, context);
}

/** The key's budget (shared with token exchanges): wait for room before the timeout starts. */
async function sendCounted(
  spec: RequestSpec,
  auth: Record<string, string>,
  context: AttemptContext,
  budget: RateBudget,
): Promise<Attempt | FailedAttempt> {
  const ticket = await budget.acquire({ signal: spec.request.signal });
  let attempt: Attempt | FailedAttempt;
  try {
    attempt = await send(spec, auth, context);
  } catch (error) {
    await ticket.done();
    throw error;
  }
  await ticket.done('error' in attempt ? undefined : attempt.response);
  return attempt;
}

function send(
  spec: RequestSpec,
  auth: Record<string, string>,
  context: AttemptContext,
): Promise<Attempt | FailedAttempt> {
  const caller = spec.request.signal;
  if (caller.aborted) return Promise.reject(caller.reason);
  const attempt = new SentAttempt(spec, context.timeout, caller);
  let answer: Promise<Response>;
  try {
    const headers = spec.request.headers;
    for (const name in auth) headers.set(name, auth[name] as string);
    answer = sendWithinOrigin(context.fetch, spec, attempt.signal, context.origin, spec.tokens);
  } catch (error) {
    answer = Promise.reject(error);
  }
  // Its two callbacks are the attempt's own: no closure per call besides them.
  return answer.then(attempt.answered, attempt.failed);
}

/**
 * An attempt: its deadline (headers and body), then its answer, and what its errors need. It keeps
 * that, not the request: a response the caller holds on to must not keep the request (its
 * headers, body bytes) alive with it. One object per attempt: it is also the cut-error source of
 * its handed-out body (every object or closure per call measurably slowed the client down).
 */
class SentAttempt extends Deadline implements Attempt, CutSource {
  /** Set once the headers are in; let go of once handed out (see {@link SentAttempt.handOut}). */
  response!: Response;
  readonly #method: string;
  readonly #url: string;
  readonly #timeout: number;
  readonly #tokens: readonly string[];

  constructor(spec: RequestSpec, timeout: number, caller: AbortSignal) {
    super(timeout, caller);
    this.#method = spec.method;
    this.#url = spec.url;
    this.#timeout = timeout;
    this.#tokens = spec.tokens;
  }

  /** fetch answered (headers are in). */
  readonly answered = (response: Response): SentAttempt => {
    this.response = response;
    return this;
  };

  /** fetch failed: the caller's abort as is; a timeout or transport failure as a typed error. */
  readonly failed = (error: unknown): FailedAttempt => {
    this.stop();
    if (this.caller?.aborted) throw error;
    const converted = this.failure(this.timedOut ? timeoutError() : error);
    if (!converted) throw error;
    return { error: converted };
  };

  handOut(): Response {
    const { response } = this;
    bindBody(response, this, this);
    // A body nobody reads must not keep the process alive, nor the response itself: the timer
    // holds this attempt until it runs out, and an unread response (its body, the socket behind a
    // large one) is collected before that, as fetch's own are. The response holds the attempt.
    this.unref();
    this.response = RELEASED;
    return response;
  }

  async discard(): Promise<void> {
    this.stop();
    await this.response.body?.cancel().catch(() => undefined);
  }

  /** The caller's abort cuts the body with the caller's reason; the timer, with ERR_LW_TIMEOUT. */
  cutError(): unknown {
    return this.timedOut ? this.failure(timeoutError()) : this.caller?.reason;
  }

  /** A transport failure of this attempt as its typed error (tokens kept out of it). */
  failure(error: unknown): LaceworkAuthError | undefined {
    const about = {
      method: this.#method,
      url: this.#url,
      timeout: this.#timeout,
      what: 'The Lacework API request',
    };
    return transportError(error, about, this.#tokens);
  }
}

// What a handed-out attempt's `response` becomes (nothing reads it after handOut()).
const RELEASED = Response.error();

function timeoutError(): Error {
  return Object.assign(new Error('timeout'), { name: 'TimeoutError' });
}
