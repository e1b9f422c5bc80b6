import { isTokenRefusal } from '../protocol/api.js';
import type { LaceworkAuthError } from '../protocol/errors.js';
import {
  backoffDelay,
  type HeaderReader,
  parseRetryAfter,
  RETRY_STATUSES,
  type RetryPolicy,
} from '../protocol/retry.js';

/** Where a request stands after an attempt. */
export interface RequestState {
  /** The token was already replaced once after a 401/403 (it is never replaced twice). */
  replaced: boolean;
  /** Retries spent on 429, 5xx and network errors. */
  retries: number;
  /** Whether the request may be sent again after a 5xx or a network error (see `isRepeatable`). */
  repeatable: boolean;
  policy: RetryPolicy;
}

/** What an attempt ended with: an answer's status and headers, or a transport failure. */
export type Outcome = { status: number; headers: HeaderReader } | { error: LaceworkAuthError };

/** What to do next. */
export type Decision =
  /** Hand the answer to the caller (`refusedAfterReplace`: a fresh token was refused too). */
  | { action: 'return'; refusedAfterReplace?: boolean }
  /** 401/403 with a token not yet replaced: replace it once, then send once more. */
  | { action: 'replace-token' }
  /** Send again after `waitMs` (429, 5xx, network error; counts as a retry). */
  | { action: 'retry'; waitMs: number }
  /** Give up with this error (a transport failure that cannot be retried). */
  | { action: 'fail'; error: LaceworkAuthError };

// The usual decisions, made once: deciding allocates nothing on the hot path.
const RETURN: Decision = Object.freeze({ action: 'return' });
const RETURN_REFUSED: Decision = Object.freeze({ action: 'return', refusedAfterReplace: true });
const REPLACE_TOKEN: Decision = Object.freeze({ action: 'replace-token' });

/**
 * The one decision after an attempt, shared by `createLaceworkClient` and the express proxy:
 *
 * - 401/403: replace the token once and send once more; refused again, the answer goes back (the
 *   key lacks permission for the route, see `TokenRefusals`).
 * - 429, 500, 502, 503, 504: retried up to `policy.limit` times with exponential backoff, honouring
 *   `Retry-After` / `RateLimit-Reset` on 429 and 503 up to `policy.maxRetryAfter` (a longer wait
 *   goes back to the caller at once); 5xx only for requests that may be repeated.
 * - a network error: retried like a 5xx; a timeout is not retried.
 */
export function decide(outcome: Outcome, state: RequestState): Decision {
  const canRetry = state.retries < state.policy.limit;
  if ('error' in outcome) {
    const retry = outcome.error.code === 'ERR_LW_NETWORK' && state.repeatable && canRetry;
    return retry
      ? { action: 'retry', waitMs: backoffDelay(state.retries + 1, state.policy) }
      : { action: 'fail', error: outcome.error };
  }
  const { status } = outcome;
  if (isTokenRefusal(status)) {
    return state.replaced ? RETURN_REFUSED : REPLACE_TOKEN;
  }
  if (RETRY_STATUSES.includes(status) && canRetry && (status === 429 || state.repeatable)) {
    const waitMs = retryWait(outcome.headers, status, state.retries + 1, state.policy);
    if (waitMs !== undefined) return { action: 'retry', waitMs };
  }
  return RETURN;
}

/** Delay before retrying a 429/5xx, or `undefined` when the server asks for too long a wait. */
function retryWait(
  headers: HeaderReader,
  status: number,
  attempt: number,
  policy: RetryPolicy,
): number | undefined {
  const asked = status === 429 || status === 503 ? parseRetryAfter(headers) : undefined;
  if (asked === undefined) return backoffDelay(attempt, policy);
  return asked <= policy.maxRetryAfter ? asked : undefined;
}
