import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createRateBudget, type RateBudgetStats } from '../src/budget/rate-budget.js';
import { memoryBudgetStore } from '../src/budget/stores.js';
import { isLaceworkAuthError } from '../src/protocol/errors.js';

const settled = async <T>(promise: Promise<T>) => {
  let done = false;
  promise.then(
    () => {
      done = true;
    },
    () => {
      done = true;
    },
  );
  await vi.advanceTimersByTimeAsync(0);
  return done;
};

const headers = (values: Record<string, string>) => new Headers(values);

describe('a rate budget (fake timers)', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: new Date('2026-01-01T00:00:00Z') });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('lets `limit` calls through per window and queues the rest, first come first served', async () => {
    const budget = createRateBudget({ limit: 3, windowMs: 10_000, store: memoryBudgetStore() });
    for (let i = 0; i < 3; i++) await budget.acquire();
    const order: number[] = [];
    const waiting = [1, 2, 3, 4].map((n) =>
      budget.acquire().then(() => {
        order.push(n);
      }),
    );
    await vi.advanceTimersByTimeAsync(0);
    expect(budget.stats()).toMatchObject({ used: 3, remaining: 0, queued: 4 });
    expect(budget.stats().nextSlotMs).toBe(10_000);
    await vi.advanceTimersByTimeAsync(9_999);
    expect(order).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(order).toEqual([1, 2, 3]);
    await vi.advanceTimersByTimeAsync(10_000);
    await Promise.all(waiting);
    expect(order).toEqual([1, 2, 3, 4]);
    expect(budget.stats().totals).toEqual({ sent: 7, waited: 4, refused: 0 });
  });

  it('a call that would wait longer than maxWait fails at once with retryAfterMs', async () => {
    const budget = createRateBudget({ limit: 2, windowMs: 60_000, store: memoryBudgetStore() });
    await budget.acquire();
    await vi.advanceTimersByTimeAsync(5_000);
    await budget.acquire();
    const error = await budget.acquire({ maxWait: 30_000 }).catch((e: unknown) => e);
    expect(isLaceworkAuthError(error, 'ERR_LW_BUDGET_EXHAUSTED')).toBe(true);
    // The first call leaves the window 55 s from now.
    expect((error as { retryAfterMs: number }).retryAfterMs).toBe(55_000);
    expect((error as Error).message).toMatch(/2 calls per min|2 calls per 1 min/);
    expect((error as Error).message).toContain('Retry after 55 s');
    // Within maxWait it waits instead.
    const ok = budget.acquire({ maxWait: 60_000 });
    expect(await settled(ok)).toBe(false);
    await vi.advanceTimersByTimeAsync(55_000);
    expect(await settled(ok)).toBe(true);
  });

  it('a queued call whose turn comes too late is refused at its deadline, not sent later', async () => {
    const budget = createRateBudget({ limit: 1, windowMs: 10_000, store: memoryBudgetStore() });
    await budget.acquire();
    const first = budget.acquire({ maxWait: 10_000 });
    // Second in line: its slot is a whole window after the first one's.
    const second = budget.acquire({ maxWait: 15_000 }).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(0);
    expect(isLaceworkAuthError(await second, 'ERR_LW_BUDGET_EXHAUSTED')).toBe(true);
    await vi.advanceTimersByTimeAsync(10_000);
    await first;
    expect(budget.stats().totals.sent).toBe(2);
  });

  it('RateLimit-Remaining and RateLimit-Reset hold calls back while the local budget has room', async () => {
    const budget = createRateBudget({ store: memoryBudgetStore() }); // 480 per hour
    const ticket = await budget.acquire();
    await ticket.done({
      status: 200,
      headers: headers({ 'RateLimit-Remaining': '0', 'RateLimit-Reset': '42' }),
    });
    expect(budget.stats()).toMatchObject({
      used: 1,
      remaining: 0,
      nextSlotMs: 42_000,
      server: { remaining: 0, resetMs: 42_000 },
    });
    const next = budget.acquire();
    await vi.advanceTimersByTimeAsync(41_999);
    expect(await settled(next)).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(await settled(next)).toBe(true);
  });

  it('a 429 empties the budget until its reset; a Unix-time RateLimit-Reset is understood', async () => {
    const budget = createRateBudget({ store: memoryBudgetStore() });
    const ticket = await budget.acquire();
    const resetAt = Math.floor(Date.now() / 1000) + 30;
    await ticket.done({ status: 429, headers: headers({ 'RateLimit-Reset': String(resetAt) }) });
    expect(budget.stats().nextSlotMs).toBe(30_000);
    const error = await budget.acquire({ maxWait: 1000 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ERR_LW_BUDGET_EXHAUSTED', retryAfterMs: 30_000 });
  });

  it('calls still unanswered are taken off what Lacework says is left', async () => {
    const budget = createRateBudget({ store: memoryBudgetStore() });
    const tickets = await Promise.all([budget.acquire(), budget.acquire(), budget.acquire()]);
    // The first answer says 3 are left: the two calls still in flight may not be counted yet.
    await tickets[0]?.done({
      status: 200,
      headers: headers({ 'RateLimit-Remaining': '3', 'RateLimit-Reset': '60' }),
    });
    expect(budget.stats().remaining).toBe(1);
    // A late answer from the same window with more left does not raise it.
    await tickets[1]?.done({
      status: 200,
      headers: headers({ 'RateLimit-Remaining': '9', 'RateLimit-Reset': '59' }),
    });
    expect(budget.stats().remaining).toBe(1);
  });

  it('counts a call from its answer, not from when it was taken (it may have left late)', async () => {
    const budget = createRateBudget({ limit: 1, windowMs: 10_000, store: memoryBudgetStore() });
    const ticket = await budget.acquire();
    await vi.advanceTimersByTimeAsync(3_000);
    await ticket.done({ status: 200, headers: headers({}) });
    expect(budget.stats().nextSlotMs).toBe(10_000);
    const next = budget.acquire();
    await vi.advanceTimersByTimeAsync(9_999);
    expect(await settled(next)).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(await settled(next)).toBe(true);
  });

  it('an aborted wait leaves the line', async () => {
    const budget = createRateBudget({ limit: 1, windowMs: 1000, store: memoryBudgetStore() });
    await budget.acquire();
    const controller = new AbortController();
    const waiting = budget.acquire({ signal: controller.signal }).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(0);
    expect(budget.stats().queued).toBe(1);
    controller.abort(new Error('gone'));
    expect(((await waiting) as Error).message).toBe('gone');
    expect(budget.stats().queued).toBe(0);
  });

  it('subscribers see the queue grow and shrink', async () => {
    const budget = createRateBudget({ limit: 1, windowMs: 1000, store: memoryBudgetStore() });
    const seen: RateBudgetStats[] = [];
    const stop = budget.subscribe((stats) => seen.push(stats));
    await budget.acquire();
    const waiting = budget.acquire();
    await vi.advanceTimersByTimeAsync(1000);
    await waiting;
    stop();
    expect(seen.map((s) => s.queued)).toContain(1);
    expect(seen.at(-1)).toMatchObject({ queued: 0, used: 1 });
  });

  it('budgets with one id and store are one budget', async () => {
    const store = memoryBudgetStore();
    const a = createRateBudget({ id: 'shared', limit: 2, windowMs: 60_000, store });
    const b = createRateBudget({ id: 'shared', limit: 2, windowMs: 60_000, store });
    const c = createRateBudget({ id: 'other', limit: 2, windowMs: 60_000, store });
    await a.acquire();
    await b.acquire();
    await expect(a.acquire({ maxWait: 0 })).rejects.toMatchObject({
      code: 'ERR_LW_BUDGET_EXHAUSTED',
    });
    await c.acquire({ maxWait: 0 });
  });

  it('refuses bad options by name', () => {
    expect(() => createRateBudget({ limit: 0 })).toThrow(/`budget.limit` must be an integer >= 1/);
    expect(() => createRateBudget({ windowMs: -1 })).toThrow(/`budget.windowMs`/);
    expect(() => createRateBudget({ maxWait: Number.NaN })).toThrow(/`budget.maxWait`/);
    expect(() => createRateBudget({ store: {} as never })).toThrow(/`budget.store`/);
    expect(() => createRateBudget({ id: 'a b' })).toThrow(/`budget.id`/);
    expect(() => createRateBudget({ limt: 3 } as never)).toThrow(/unknown option/);
  });
});
