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
  const deadline = new Deadline(context.timeout, caller);
  let answer: Promise<Response>;
  try {
    const headers = spec.request.headers;
    for (const name in auth) headers.set(name, auth[name] as string);
    answer = sendWithinOrigin(context.fetch, spec, deadline.signal, context.origin, spec.tokens);
  } catch (error) {
    answer = Promise.reject(error);
  }
  return answer.then(
    (response) => new SentAttempt(response, deadline, failureOf(spec, context)),
    (error: unknown) => {
      deadline.stop();
      if (caller.aborted) throw error;
      const converted = failureOf(spec, context).of(deadline.timedOut ? timeoutError() : error);
      if (!converted) throw error;
      return { error: converted };
    },
  );
}

/**
 * An answered attempt. It keeps what its errors need, not the request: a response the caller
 * holds on to must not keep the request (its headers, signal, body bytes) alive with it.
 */
class SentAttempt implements Attempt {
  readonly response: Response;
  readonly #deadline: Deadline;
  readonly #failure: Failure;

  constructor(response: Response, deadline: Deadline, failure: Failure) {
    this.response = response;
    this.#deadline = deadline;
    this.#failure = failure;
  }

  handOut(): Response {
    // One cut-error source for every response, the request's own data on its deadline: a
    // closure or object kept per handed-out response measurably slowed the client down.
    this.#deadline.failure = this.#failure;
    bindBody(this.response, this.#deadline, API_CUT);
    // A body nobody reads must not keep the process alive.
    this.#deadline.unref();
    return this.response;
  }

  async discard(): Promise<void> {
    this.#deadline.stop();
    await this.response.body?.cancel().catch(() => undefined);
  }
}

/** The caller's abort cuts the body too, with the caller's reason; the timer, ERR_LW_TIMEOUT. */
const API_CUT: CutSource = {
  cutError(deadline) {
    return deadline.timedOut
      ? (deadline.failure as Failure).of(timeoutError())
      : deadline.caller?.reason;
  },
};

/** Turns a transport failure of one request into its typed error (tokens kept out of it). */
class Failure {
  readonly #about: { method: string; url: string; timeout: number; what: string };
  readonly #tokens: readonly string[];

  constructor(method: string, url: string, timeout: number, tokens: readonly string[]) {
    this.#about = { method, url, timeout, what: 'The Lacework API request' };
    this.#tokens = tokens;
  }

  of(error: unknown): LaceworkAuthError | undefined {
    return transportError(error, this.#about, this.#tokens);
  }
}

function failureOf(spec: RequestSpec, context: AttemptContext): Failure {
  return new Failure(spec.method, spec.url, context.timeout, spec.tokens);
}

function timeoutError(): Error {
  return Object.assign(new Error('timeout'), { name: 'TimeoutError' });
}
