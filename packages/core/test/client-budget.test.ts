import { emulator, tempDir } from '@lacework-auth/test-kit/vitest';
import { describe, expect, it } from 'vitest';
import { createRateBudget } from '../src/budget/rate-budget.js';
import { fileBudgetStore, memoryBudgetStore } from '../src/budget/stores.js';
import { createLaceworkClient } from '../src/client/client.js';
import { isLaceworkAuthError } from '../src/protocol/errors.js';
import { providerFor, routeRequests } from './support/emulator.js';

const rejection = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error as Error & { code: string; retryAfterMs?: number },
  );

describe('the client and its key’s budget, against the emulator', () => {
  it('token exchanges count: a budget of 3 is one exchange and two calls, and the fourth is not sent', async () => {
    const emu = await emulator();
    const lacework = createLaceworkClient({
      tokenProvider: providerFor(emu, {
        budget: { limit: 3, windowMs: 60_000, maxWait: 0, store: memoryBudgetStore() },
      }),
    });
    await lacework.get('UserProfile').json();
    await lacework.get('UserProfile').json();
    const error = await rejection(lacework.get('UserProfile').json());
    expect(isLaceworkAuthError(error, 'ERR_LW_BUDGET_EXHAUSTED')).toBe(true);
    expect(error.retryAfterMs).toBeGreaterThan(50_000);
    expect(error.retryAfterMs).toBeLessThanOrEqual(60_000);
    expect(emu.stats()).toMatchObject({ exchanges: 1, apiCalls: 2, rateLimited: 0 });
    expect(routeRequests(emu, 'api')).toHaveLength(2);
  });

  it('follows RateLimit-Remaining/Reset: a server limit below the budget is met without a 429', async () => {
    const emu = await emulator({ rateLimit: { limit: 4, windowMs: 60_000 } });
    // The default budget (480/hour) knows nothing of this server's 4 per minute until told.
    const lacework = createLaceworkClient({
      tokenProvider: providerFor(emu, { budget: { maxWait: 5_000, store: memoryBudgetStore() } }),
    });
    for (let i = 0; i < 3; i++) await lacework.get('UserProfile').json();
    const error = await rejection(lacework.get('UserProfile').json());
    expect(error.code).toBe('ERR_LW_BUDGET_EXHAUSTED');
    // RateLimit-Reset said about 60 s.
    expect(error.retryAfterMs).toBeGreaterThan(50_000);
    expect(emu.stats()).toMatchObject({ exchanges: 1, apiCalls: 3, rateLimited: 0 });
  });

  it('providers of one key in one process share its budget by default', async () => {
    const emu = await emulator();
    const budget = { limit: 4, windowMs: 60_000, maxWait: 0 };
    const a = createLaceworkClient({ tokenProvider: providerFor(emu, { budget }) });
    const b = createLaceworkClient({ tokenProvider: providerFor(emu, { budget }) });
    await a.get('UserProfile').json(); // exchange + call
    await b.get('UserProfile').json(); // its own exchange + call: 4
    const error = await rejection(a.get('UserProfile').json());
    expect(error.code).toBe('ERR_LW_BUDGET_EXHAUSTED');
    expect(emu.stats()).toMatchObject({ exchanges: 2, apiCalls: 2 });
    // Another key has its own budget.
    const other = emu.addKey();
    const c = createLaceworkClient({
      baseUrl: emu.url,
      keyId: other.keyId,
      secret: other.secret,
      env: {},
      budget,
    });
    await c.get('UserProfile').json();
  });

  it('a fileBudgetStore is one budget for several processes’ worth of clients', async () => {
    const emu = await emulator();
    const dir = await tempDir();
    // Two budgets that share only the directory, as two processes would.
    const make = () =>
      createLaceworkClient({
        tokenProvider: providerFor(emu, {
          budget: createRateBudget({
            id: 'shared-key',
            limit: 5,
            windowMs: 60_000,
            maxWait: 0,
            store: fileBudgetStore({ dir }),
          }),
        }),
      });
    const [a, b] = [make(), make()];
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) => (i % 2 ? a : b).get('UserProfile').json()),
    );
    const refused = results.filter(
      (r) => r.status === 'rejected' && isLaceworkAuthError(r.reason, 'ERR_LW_BUDGET_EXHAUSTED'),
    );
    const stats = emu.stats();
    // Five calls in all, exchanges included; everything else refused before it was sent.
    expect(stats.exchanges + stats.apiCalls).toBe(5);
    expect(refused).toHaveLength(8 - stats.apiCalls);
  });

  it('waits instead of failing when maxWait allows, and the call then succeeds', async () => {
    const emu = await emulator();
    const lacework = createLaceworkClient({
      tokenProvider: providerFor(emu, {
        budget: { limit: 2, windowMs: 1_000, store: memoryBudgetStore() },
      }),
    });
    await lacework.get('UserProfile').json();
    const started = Date.now();
    await lacework.get('UserProfile').json();
    await lacework.get('UserProfile').json();
    // The third call had to wait for the window to move on (generous bound: a busy machine).
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(emu.stats().rateLimited).toBe(0);
  });
});
