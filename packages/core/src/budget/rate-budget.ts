import { createHash } from 'node:crypto';

import { BudgetExhaustedError, InvalidOptionError } from '../protocol/errors.js';
import { describe } from '../protocol/validate.js';
import { assertKnownOptions, validateMs } from '../toolkit/options.js';
import type { WarningHandler } from '../toolkit/warnings.js';

import {
  type BudgetLimits,
  type BudgetState,
  type HeaderLookup,
  observe,
  prune,
  readObservation,
  resend,
  take,
  waitFor,
} from './state.js';
import { type BudgetStore, memoryBudgetStore } from './stores.js';

/** Response headers as `node:http` gives them, without needing Node.js types in the published ones. */
type NodeHeaders = Record<string, string | string[] | undefined>;

/** Lacework's documented limit: about 480 calls per hour per user, token requests included. */
export const DEFAULT_BUDGET = { limit: 480, windowMs: 3_600_000 } as const;

/** Options of a key's rate budget (`budget` on `createTokenProvider`/`createLaceworkClient`). */
export interface RateBudgetOptions {
  /**
   * Calls allowed in any `windowMs`, token exchanges included.
   * @default 480
   */
  limit?: number | undefined;
  /**
   * The window, in ms.
   * @default 3600000 (one hour)
   */
  windowMs?: number | undefined;
  /**
   * Longest a call may wait for room in the budget, in ms; a call that would wait longer fails
   * at once with `ERR_LW_BUDGET_EXHAUSTED` (and `retryAfterMs`) without being sent.
   * @default Infinity (wait as long as it takes)
   */
  maxWait?: number | undefined;
  /**
   * Where the budget's state lives: `memoryBudgetStore()` (one process), `fileBudgetStore()`
   * (every process of this user on this machine), or a shared store such as Redis.
   * @default a memory store shared by the whole process
   */
  store?: BudgetStore | undefined;
  /**
   * The budget's key in the store. Budgets with the same `id` and store are one budget.
   * @default derived from the base URL and the key ID (a hash; never the secret)
   */
  id?: string | undefined;
  /** Receives a warning when the store fails (the budget then continues in memory). */
  onWarning?: WarningHandler | undefined;
}

/** Options of one {@link RateBudget.acquire}. */
export interface AcquireOptions {
  /** Overrides the budget's `maxWait` for this call, in ms. */
  maxWait?: number | undefined;
  /** Gives up waiting when it aborts (rejecting with its reason). */
  signal?: AbortSignal | undefined;
}

/** A response, as the budget reads it: `RateLimit-*` headers, `Retry-After`, and 429. */
export interface ObservedResponse {
  status: number;
  /** Fetch `Headers`, or Node's `IncomingMessage.headers` (typed without Node.js types). */
  headers: Headers | NodeHeaders;
}

/** The right to send one call. Call `done` once it is answered (or failed without an answer). */
export interface BudgetTicket {
  /** Reports the answer (its `RateLimit-*` headers correct the budget), or none. Idempotent. */
  done(response?: ObservedResponse): Promise<void>;
}

/** What a budget looks like now, for dashboards and health endpoints. Holds no secret. */
export interface RateBudgetStats {
  /** The budget's store key (a hash). */
  id: string;
  limit: number;
  windowMs: number;
  /** Calls sent in the last `windowMs` (by every process sharing the store, as last read). */
  used: number;
  /** Calls that may be sent right now. */
  remaining: number;
  /** Calls of this process waiting for room. */
  queued: number;
  /** Calls of this process sent and not answered yet. */
  inFlight: number;
  /** Milliseconds until the next call may be sent (0: now). */
  nextSlotMs: number;
  /** What Lacework last said (`RateLimit-Remaining`, and ms until its window ends), if anything. */
  server?: { remaining: number; resetMs: number } | undefined;
  /** Totals for this process: calls sent, calls that had to wait, calls refused (maxWait). */
  totals: { sent: number; waited: number; refused: number };
}

/**
 * A per-key budget of Lacework calls: at most `limit` calls in any `windowMs` (480 per hour by
 * default), corrected by the `RateLimit-Remaining`/`RateLimit-Reset` headers Lacework sends.
 * Calls that do not fit wait in line (first come, first served) instead of meeting a 429.
 */
export interface RateBudget {
  readonly id: string;
  readonly limit: number;
  readonly windowMs: number;
  /**
   * Waits for room for one call and takes it.
   * @throws {BudgetExhaustedError} `ERR_LW_BUDGET_EXHAUSTED` when the wait would exceed `maxWait`.
   */
  acquire(options?: AcquireOptions): Promise<BudgetTicket>;
  /** The budget now (from this process's last look at the store). */
  stats(): RateBudgetStats;
  /** Calls `listener` with fresh stats whenever a call waits, is sent or refused, or an answer corrects the budget. */
  subscribe(listener: (stats: RateBudgetStats) => void): () => void;
}

const OPTIONS = ['limit', 'windowMs', 'maxWait', 'store', 'id', 'onWarning'];
// A waiting call looks at the store at least this often (another process may have freed room).
const POLL_MS = 1000;
const processStore = memoryBudgetStore();

interface Waiter {
  deadline: number;
  resolve(ticket: BudgetTicket): void;
  reject(error: unknown): void;
  cleanup(): void;
}

/** The store key of the default budget for a key: a hash of the base URL and the key ID. */
export function budgetId(baseUrl: string, keyId: string): string {
  const material = JSON.stringify(['lacework-auth/budget/v1', baseUrl, keyId]);
  return `lw-budget-${createHash('sha256').update(material).digest('hex')}`;
}

/**
 * Creates a rate budget. Most code passes `budget` options to `createTokenProvider` or
 * `createLaceworkClient` instead; create one yourself to share it explicitly.
 *
 * @throws {InvalidOptionError} `ERR_LW_INVALID_OPTION` naming the option.
 * @example
 * ```ts
 * const budget = createRateBudget({ id: 'reports', limit: 400, store: fileBudgetStore() });
 * const lacework = createLaceworkClient({ budget });
 * budget.subscribe((s) => metrics.gauge('lacework.budget.remaining', s.remaining));
 * ```
 */
export function createRateBudget(options: RateBudgetOptions = {}): RateBudget {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new InvalidOptionError(
      `\`budget\` must be false or { limit?, windowMs?, maxWait?, store?, id? }, got ${describe(options)}.`,
      { option: 'budget' },
    );
  }
  assertKnownOptions(options, OPTIONS, 'budget');
  const limit = options.limit ?? DEFAULT_BUDGET.limit;
  if (!Number.isInteger(limit) || limit < 1) {
    throw new InvalidOptionError(
      `\`budget.limit\` must be an integer >= 1 (calls per window), got ${describe(limit)}.`,
      { option: 'budget.limit' },
    );
  }
  const windowMs =
    validateMs(options.windowMs, 'budget.windowMs', { min: 1 }) ?? DEFAULT_BUDGET.windowMs;
  const maxWait = validateWait(options.maxWait, 'budget.maxWait') ?? Number.POSITIVE_INFINITY;
  const store = options.store ?? processStore;
  if (store === null || typeof store !== 'object' || typeof store.update !== 'function') {
    throw new InvalidOptionError(
      `\`budget.store\` must have an update method (see memoryBudgetStore, fileBudgetStore), got ${describe(store)}.`,
      { option: 'budget.store' },
    );
  }
  const id = options.id ?? 'lw-budget-default';
  if (typeof id !== 'string' || !/^[A-Za-z0-9_.:-]{1,200}$/.test(id)) {
    throw new InvalidOptionError('`budget.id` must be 1 to 200 letters, digits or `_.:-`.', {
      option: 'budget.id',
    });
  }
  if (options.onWarning !== undefined && typeof options.onWarning !== 'function') {
    throw new InvalidOptionError(
      `\`budget.onWarning\` must be a function, got ${describe(options.onWarning)}.`,
      { option: 'budget.onWarning' },
    );
  }
  return new Budget(id, { limit, windowMs }, maxWait, store, options.onWarning);
}

/** True for an object made by {@link createRateBudget} (or one that behaves like it). */
export function isRateBudget(value: unknown): value is RateBudget {
  const candidate = value as Partial<RateBudget> | null;
  return (
    candidate !== null &&
    typeof candidate === 'object' &&
    typeof candidate.acquire === 'function' &&
    typeof candidate.stats === 'function'
  );
}

function validateWait(value: unknown, name: string): number | undefined {
  if (value === Number.POSITIVE_INFINITY) return value;
  return validateMs(value, name);
}

class Budget implements RateBudget {
  readonly #limits: BudgetLimits;
  readonly #maxWait: number;
  #store: BudgetStore;
  readonly #onWarning: WarningHandler | undefined;
  readonly #queue: Waiter[] = [];
  readonly #listeners = new Set<(stats: RateBudgetStats) => void>();
  #snapshot: BudgetState = { sent: [] };
  #inFlight = 0;
  #pumping = false;
  #arriving = 0;
  #wake: (() => void) | undefined;
  readonly #totals = { sent: 0, waited: 0, refused: 0 };

  constructor(
    readonly id: string,
    limits: BudgetLimits,
    maxWait: number,
    store: BudgetStore,
    onWarning: WarningHandler | undefined,
  ) {
    this.#limits = limits;
    this.#maxWait = maxWait;
    this.#store = store;
    this.#onWarning = onWarning;
  }

  get limit() {
    return this.#limits.limit;
  }

  get windowMs() {
    return this.#limits.windowMs;
  }

  async acquire(options: AcquireOptions = {}): Promise<BudgetTicket> {
    const maxWait = validateWait(options.maxWait, 'maxWait') ?? this.#maxWait;
    const { signal } = options;
    signal?.throwIfAborted();
    const started = Date.now();
    // Callers that arrived before us are ahead of us, even while they still look at the store.
    const ahead = this.#queue.length + this.#arriving;
    this.#arriving++;
    try {
      if (ahead === 0) {
        const { wait, at } = await this.#tryTake();
        if (wait === 0) return this.#sent(at);
        if (wait > maxWait) throw this.#refuse(wait, maxWait);
      } else {
        const estimate = await this.#estimate(ahead);
        if (estimate > maxWait) throw this.#refuse(estimate, maxWait);
      }
    } finally {
      this.#arriving--;
    }
    signal?.throwIfAborted();
    this.#totals.waited++;
    return new Promise<BudgetTicket>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const leave = (error: unknown) => {
        const at = this.#queue.indexOf(waiter);
        if (at === -1) return;
        this.#queue.splice(at, 1);
        waiter.cleanup();
        reject(error);
        this.#changed();
        if (at === 0) this.#wake?.();
      };
      const onAbort = () => leave(signal?.reason);
      const waiter: Waiter = {
        deadline: started + maxWait,
        resolve,
        reject,
        cleanup: () => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      if (Number.isFinite(maxWait)) {
        timer = setTimeout(
          () => {
            const ahead = Math.max(0, this.#queue.indexOf(waiter));
            const estimate = waitFor(
              prune(this.#snapshot, this.#limits, Date.now()),
              this.#limits,
              Date.now(),
              ahead,
            );
            // Its slot is free now: the line serves it in a moment, within its deadline.
            if (estimate <= 0) this.#wake?.();
            else leave(this.#refuse(estimate, maxWait));
          },
          Math.max(0, started + maxWait - Date.now()),
        );
      }
      this.#queue.push(waiter);
      this.#changed();
      void this.#pump();
    });
  }

  stats(): RateBudgetStats {
    const now = Date.now();
    const state = prune(this.#snapshot, this.#limits, now);
    const used = state.sent.length;
    const view = state.server;
    return {
      id: this.id,
      limit: this.#limits.limit,
      windowMs: this.#limits.windowMs,
      used,
      remaining: Math.max(0, Math.min(this.#limits.limit - used, view?.remaining ?? Infinity)),
      queued: this.#queue.length,
      inFlight: this.#inFlight,
      nextSlotMs: waitFor(state, this.#limits, now),
      server: view ? { remaining: view.remaining, resetMs: view.resetAt - now } : undefined,
      totals: { ...this.#totals },
    };
  }

  subscribe(listener: (stats: RateBudgetStats) => void): () => void {
    if (typeof listener !== 'function') {
      throw new InvalidOptionError(`\`subscribe\` needs a function, got ${describe(listener)}.`, {
        option: 'listener',
      });
    }
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Serves the line: the first waiter gets the next free slot; the others wait behind it. */
  async #pump(): Promise<void> {
    if (this.#pumping) return;
    this.#pumping = true;
    try {
      while (this.#queue.length > 0) {
        const { wait, at } = await this.#tryTake();
        const head = this.#queue[0];
        if (wait === 0) {
          if (head === undefined) {
            // The waiter left while the slot was being taken: give it back.
            await this.#refund();
            continue;
          }
          this.#queue.shift();
          head.cleanup();
          head.resolve(this.#sent(at));
          continue;
        }
        if (head === undefined) continue;
        if (Date.now() + wait > head.deadline) {
          this.#queue.shift();
          head.cleanup();
          head.reject(this.#refuse(wait, head.deadline - Date.now()));
          this.#changed();
          continue;
        }
        await new Promise<void>((resolve) => {
          const done = () => {
            clearTimeout(timer);
            this.#wake = undefined;
            resolve();
          };
          const timer = setTimeout(done, Math.min(wait, POLL_MS));
          this.#wake = done;
        });
      }
    } finally {
      this.#pumping = false;
    }
  }

  /** A ticket for the call taken at `at`. */
  #sent(at: number): BudgetTicket {
    this.#inFlight++;
    this.#totals.sent++;
    this.#changed();
    let settled = false;
    return {
      done: async (response?: ObservedResponse) => {
        if (settled) return;
        settled = true;
        this.#inFlight--;
        await this.#settle(at, response);
      },
    };
  }

  #refuse(waitMs: number, maxWait: number): BudgetExhaustedError {
    this.#totals.refused++;
    this.#changed();
    const seconds = Math.ceil(waitMs / 1000);
    const { limit, windowMs } = this.#limits;
    return new BudgetExhaustedError(
      `The Lacework rate budget for this key (${limit} calls per ${formatWindow(windowMs)}) has no room for this call for about ${seconds} s, longer than the ${Math.max(0, Math.round(maxWait))} ms it may wait (\`maxWait\`). It was not sent. Retry after ${seconds} s, make fewer calls (cache answers), or raise \`maxWait\`.`,
      { retryAfterMs: Math.max(1, Math.round(waitMs)) },
    );
  }

  async #tryTake(): Promise<{ wait: number; at: number }> {
    return this.#update((state, now) => {
      const result = take(state, this.#limits, now);
      return { state: result.state, result: { wait: result.wait, at: now } };
    });
  }

  async #estimate(ahead: number): Promise<number> {
    return this.#update((state, now) => {
      const pruned = prune(state, this.#limits, now);
      return { state: pruned, result: waitFor(pruned, this.#limits, now, ahead) };
    });
  }

  async #refund(): Promise<void> {
    await this.#update((state, now) => {
      const pruned = prune(state, this.#limits, now);
      pruned.sent.pop();
      if (pruned.server) pruned.server.remaining++;
      return { state: pruned, result: undefined };
    });
  }

  /**
   * The call taken at `at` is over. It is counted from now on rather than from when it was taken:
   * it left some time after it was taken, and certainly before its answer came, so counting it
   * from the answer keeps the window right whatever the delay in between. Its answer, if any,
   * corrects the budget (`RateLimit-*`, 429).
   */
  async #settle(at: number, response: ObservedResponse | undefined): Promise<void> {
    const observation =
      response === undefined
        ? undefined
        : readObservation(response.status, headerLookup(response.headers));
    const unanswered = this.#inFlight;
    await this.#update((state, now) => {
      let next = resend(prune(state, this.#limits, now), at, now);
      if (observation) next = observe(next, this.#limits, observation, now, unanswered);
      return { state: next, result: undefined };
    });
    this.#wake?.();
    this.#changed();
  }

  /** Runs `change` on the stored state; a failing store is warned about and replaced by memory. */
  async #update<T>(
    change: (state: BudgetState | undefined, now: number) => { state: BudgetState; result: T },
  ): Promise<T> {
    const apply = (state: BudgetState | undefined) => {
      const out = change(state, Date.now());
      this.#snapshot = out.state;
      return out;
    };
    try {
      return await this.#store.update(this.id, apply);
    } catch (error) {
      const code = (error as { code?: unknown })?.code;
      this.#onWarning?.(
        `lacework-auth: the rate budget store failed (${typeof code === 'string' ? code : ((error as Error)?.name ?? 'error')}); the budget continues in this process's memory.`,
        'LW_BUDGET_STORE',
      );
      this.#store = memoryBudgetStore();
      return this.#store.update(this.id, apply);
    }
  }

  #changed(): void {
    if (this.#listeners.size === 0) return;
    const stats = this.stats();
    for (const listener of this.#listeners) {
      try {
        listener(stats);
      } catch {
        // A failing listener must not break the calls it watches.
      }
    }
  }
}

function headerLookup(headers: Headers | NodeHeaders): HeaderLookup {
  if (typeof (headers as Headers).get === 'function') {
    return (name) => (headers as Headers).get(name);
  }
  return (name) => {
    const value = (headers as NodeHeaders)[name];
    return Array.isArray(value) ? value[0] : value;
  };
}

function formatWindow(ms: number): string {
  if (ms === 3_600_000) return 'hour';
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000} hours`;
  if (ms % 60_000 === 0) return `${ms / 60_000} min`;
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}
