/**
 * The budget's bookkeeping as plain data and pure functions, so that a store (memory, file,
 * Redis) can keep it and any process can apply the same rules to it.
 */

/** What the budget remembers for one key. Plain JSON: stores keep it as is. */
export interface BudgetState {
  /** When each call of the last window was sent (ms since the epoch), oldest first. */
  sent: number[];
  /** What Lacework last said about its own count, while its window lasts. */
  server?: ServerView | undefined;
}

/** Lacework's view of the budget, from its `RateLimit-*` headers. */
export interface ServerView {
  /** Calls Lacework still allows in its window, less the ones sent since it said so. */
  remaining: number;
  /** When Lacework's window ends (ms since the epoch, rounded up to whole seconds). */
  resetAt: number;
  /** `RateLimit-Limit`, when sent. */
  limit?: number | undefined;
}

/** The budget's own settings: at most `limit` calls in any `windowMs`. */
export interface BudgetLimits {
  limit: number;
  windowMs: number;
}

/** What one response said about the rate limit. */
export interface Observation {
  /** `RateLimit-Remaining`. */
  remaining?: number | undefined;
  /** Time until Lacework's window ends, from `RateLimit-Reset` (or `Retry-After` on a 429), ms. */
  resetMs?: number | undefined;
  /** `RateLimit-Limit`. */
  limit?: number | undefined;
  /** The response was a 429: nothing is left until the reset. */
  limited: boolean;
}

/**
 * Two observations whose window ends differ by less than this are about the same window:
 * `RateLimit-Reset` is in whole seconds, and responses take a while to arrive.
 */
export const SAME_WINDOW_MS = 1500;

/** Without `RateLimit-Reset` or `Retry-After`, a 429 is assumed to last this long (or a window). */
const UNKNOWN_429_MS = 60_000;

// Values at or above this are Unix timestamps (seconds) rather than delays.
const EPOCH_THRESHOLD_S = 1_000_000_000;

/** Reads a header by (lower-case) name. */
export type HeaderLookup = (name: string) => string | null | undefined;

const count = (value: string | null | undefined): number | undefined => {
  const text = value?.trim();
  return text && /^\d+$/.test(text) ? Number(text) : undefined;
};

/** Seconds until reset (or a Unix timestamp in seconds), as a delay in ms from `now`. */
function delayMs(value: string | null | undefined, now: number): number | undefined {
  const text = value?.trim();
  if (!text || !/^\d+(\.\d+)?$/.test(text)) return undefined;
  const seconds = Number(text);
  return seconds >= EPOCH_THRESHOLD_S
    ? Math.max(0, Math.round(seconds * 1000 - now))
    : Math.round(seconds * 1000);
}

/**
 * What a response says about the rate limit: `RateLimit-Remaining`, `RateLimit-Reset` (delta
 * seconds, as the emulator and the IETF RateLimit header draft send it; a Unix timestamp is
 * accepted too), `RateLimit-Limit`, and on a 429 `Retry-After` (seconds or an HTTP date).
 * `undefined` when it says nothing.
 */
export function readObservation(
  status: number,
  header: HeaderLookup,
  now = Date.now(),
): Observation | undefined {
  const limited = status === 429;
  const remaining = count(header('ratelimit-remaining'));
  let resetMs = delayMs(header('ratelimit-reset'), now);
  if (limited) {
    const retryAfter = header('retry-after')?.trim();
    if (retryAfter) {
      const asked = /^\d+(\.\d+)?$/.test(retryAfter)
        ? Math.round(Number(retryAfter) * 1000)
        : Date.parse(retryAfter) - now;
      if (Number.isFinite(asked)) resetMs = Math.max(resetMs ?? 0, asked);
    }
  }
  if (!limited && remaining === undefined) return undefined;
  return { remaining, resetMs, limit: count(header('ratelimit-limit')), limited };
}

/** `state` without calls older than the window, and without a server view whose window ended. */
export function prune(
  state: BudgetState | undefined,
  limits: BudgetLimits,
  now: number,
): BudgetState {
  const since = now - limits.windowMs;
  const sent = (state?.sent ?? []).filter((at) => at > since && at <= now + limits.windowMs);
  const server = state?.server && now < state.server.resetAt ? { ...state.server } : undefined;
  return server ? { sent, server } : { sent };
}

/**
 * How long (ms) until a call with `ahead` calls queued before it may be sent: the later of when
 * the budget's own window has room (at most `limit` calls in any `windowMs`) and when Lacework's
 * last word allows it. 0 means now. Beyond the calls already sent the answer is an estimate.
 */
export function waitFor(state: BudgetState, limits: BudgetLimits, now: number, ahead = 0): number {
  const { limit, windowMs } = limits;
  const { sent } = state;
  // Call i (in sending order, 0 = the oldest still in the window) goes out one window after
  // call i - limit, or now: step back one window at a time until a call already sent.
  let index = sent.length + ahead;
  let windows = 0;
  while (index >= sent.length) {
    index -= limit;
    windows++;
  }
  const at =
    index >= 0 ? (sent[index] as number) + windows * windowMs : now + (windows - 1) * windowMs;
  const local = at - now;
  let server = 0;
  const view = state.server;
  if (view && now < view.resetAt && ahead >= view.remaining) {
    server = view.resetAt - now + Math.floor((ahead - view.remaining) / limit) * windowMs;
  }
  return Math.max(0, local, server);
}

/** Takes one call from the budget when it has room now: `wait` 0 and the updated state. */
export function take(
  previous: BudgetState | undefined,
  limits: BudgetLimits,
  now: number,
): { state: BudgetState; wait: number } {
  const state = prune(previous, limits, now);
  const wait = waitFor(state, limits, now);
  if (wait > 0) return { state, wait };
  state.sent.push(now);
  if (state.server) state.server.remaining = Math.max(0, state.server.remaining - 1);
  return { state, wait: 0 };
}

/**
 * `state` after a response said `observation`. `unanswered` calls of ours were in flight and may
 * not have been counted by Lacework yet: they are taken off what it says is left. Within one
 * window the lower count wins (both are lower bounds; responses arrive out of order); a later
 * window replaces the view; a view of an earlier window (a late answer) is ignored.
 */
export function observe(
  previous: BudgetState | undefined,
  limits: BudgetLimits,
  observation: Observation,
  now: number,
  unanswered = 0,
): BudgetState {
  const state = prune(previous, limits, now);
  const remaining = observation.limited ? 0 : observation.remaining;
  if (remaining === undefined) return state;
  const resetMs =
    observation.resetMs ??
    (observation.limited ? Math.min(limits.windowMs, UNKNOWN_429_MS) : limits.windowMs);
  const seen: ServerView = {
    remaining: Math.max(0, remaining - unanswered),
    resetAt: now + resetMs,
    limit: observation.limit,
  };
  const known = state.server;
  if (!known || seen.resetAt > known.resetAt + SAME_WINDOW_MS) {
    state.server = seen;
  } else if (seen.resetAt >= known.resetAt - SAME_WINDOW_MS) {
    state.server = {
      remaining: Math.min(known.remaining, seen.remaining),
      resetAt: Math.max(known.resetAt, seen.resetAt),
      limit: seen.limit ?? known.limit,
    };
  }
  return state;
}

/** `state` with the call sent at `at` counted as sent at `now` instead (kept in time order). */
export function resend(state: BudgetState, at: number, now: number): BudgetState {
  const index = state.sent.indexOf(at);
  if (index === -1 || now <= at) return state;
  state.sent.splice(index, 1);
  let insert = state.sent.length;
  while (insert > 0 && (state.sent[insert - 1] as number) > now) insert--;
  state.sent.splice(insert, 0, now);
  return state;
}
