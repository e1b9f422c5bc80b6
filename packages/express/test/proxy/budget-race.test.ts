import {
  createRateBudget,
  createTokenProvider,
  memoryBudgetStore,
  type RateBudget,
  type StoredToken,
  type TokenStore,
} from '@lacework-auth/core';
import { startEmulator } from '@lacework-auth/emulator';
import { keyOptions } from '@lacework-auth/test-kit';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { laceworkProxy } from '../../src/proxy/proxy.js';
import { listen } from '../support/servers.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A token store whose reads can be held, as a remote store's reads take a while. */
function heldStore() {
  const tokens = new Map<string, StoredToken>();
  let hold: { reached: () => void; gate: Promise<void> } | undefined;
  const store: TokenStore = {
    async get(key) {
      if (hold) {
        const { reached, gate } = hold;
        hold = undefined;
        reached();
        await gate;
      }
      return tokens.get(key);
    },
    set: (key, value) => void tokens.set(key, value),
    delete: (key) => void tokens.delete(key),
  };
  /** Holds the next read; resolves once it started, with the function that releases it. */
  const holdNextRead = () => {
    let release = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    return new Promise<() => void>((reached) => {
      hold = { reached: () => reached(release), gate };
    });
  };
  return { store, holdNextRead };
}

describe('a token exchange racing another user of the budget', () => {
  it('answers 503 within maxBudgetWait when the room it saw is taken before the exchange', async () => {
    const emu = await startEmulator({ rateLimit: false });
    cleanups.push(() => emu.close());
    const budgetStore = memoryBudgetStore();
    const shared = { limit: 3, windowMs: 60_000, store: budgetStore, id: 'race' };
    const tokens = heldStore();
    const provider = createTokenProvider({
      ...keyOptions(emu),
      env: {},
      store: tokens.store,
      budget: shared,
    });
    // Another process of the same key, sharing the budget's store.
    const otherProcess = createRateBudget(shared);
    const server = await listen(
      express().use(
        '/lw',
        laceworkProxy({ tokenProvider: provider, allow: ['**'], maxBudgetWait: 300 }),
      ),
    );
    cleanups.push(server.close);
    expect((await fetch(`${server.url}/lw/Echo/1`)).status).toBe(200); // exchange + call
    await provider.invalidate(); // one slot left; the next request needs an exchange
    const reading = tokens.holdNextRead();
    const answer = fetch(`${server.url}/lw/Echo/2`, { signal: AbortSignal.timeout(15_000) });
    const release = await reading; // the proxy saw room and its exchange is on its way
    const ticket = await otherProcess.acquire({ maxWait: 0 }); // the other process takes it
    release();
    const refused = await answer;
    expect(refused.status).toBe(503);
    expect(await refused.json()).toMatchObject({ error: { code: 'ERR_LW_BUDGET_EXHAUSTED' } });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(30);
    expect(emu.stats()).toMatchObject({ exchanges: 1, apiCalls: 1 });
    await ticket.done();
  }, 30_000);

  it('waits for a slow exchange that found room without polling the budget in a busy loop', async () => {
    const emu = await startEmulator({ rateLimit: false });
    cleanups.push(() => emu.close());
    const real = createRateBudget({ limit: 100, windowMs: 60_000, store: memoryBudgetStore() });
    let looks = 0;
    const budget: RateBudget = {
      id: real.id,
      limit: real.limit,
      windowMs: real.windowMs,
      acquire: (options) => real.acquire(options),
      stats: () => {
        looks++;
        return real.stats();
      },
      subscribe: (listener) => real.subscribe(listener),
    };
    const provider = createTokenProvider({ ...keyOptions(emu), env: {}, budget });
    const server = await listen(
      express().use(
        '/lw',
        laceworkProxy({ tokenProvider: provider, allow: ['**'], maxBudgetWait: 0 }),
      ),
    );
    cleanups.push(server.close);
    emu.inject({ route: 'token', delayMs: 600 });
    const started = performance.now();
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => fetch(`${server.url}/lw/Echo/${i}`)),
    );
    const elapsedMs = performance.now() - started;
    expect(answers.map((answer) => answer.status)).toEqual(Array(20).fill(200));
    expect(emu.stats()).toMatchObject({ exchanges: 1, apiCalls: 20 });
    // A look every 250 ms per request, not one per millisecond of the exchange: the bound is ten
    // times the first and a twenty-fifth of the second, however long a busy machine takes.
    expect(looks).toBeLessThan(20 * (2 + elapsedMs / 25));
  }, 30_000);

  it('a client that left while its exchange waited for room is not reported as a 503', async () => {
    const emu = await startEmulator({ rateLimit: false });
    cleanups.push(() => emu.close());
    const provider = createTokenProvider({
      ...keyOptions(emu),
      env: {},
      budget: { limit: 2, windowMs: 60_000, store: memoryBudgetStore() },
    });
    const reported: string[] = [];
    const server = await listen(
      express().use(
        '/lw',
        laceworkProxy({
          tokenProvider: provider,
          allow: ['**'],
          // Far longer than the 100 ms before the client leaves, also on a busy machine.
          maxBudgetWait: 2000,
          onError: (error) => reported.push((error as { code?: string }).code ?? error.message),
        }),
      ),
    );
    cleanups.push(server.close);
    expect((await fetch(`${server.url}/lw/Echo/1`)).status).toBe(200); // the budget is spent
    await provider.invalidate(); // the next request's exchange finds no room
    const leaving = new AbortController();
    const gone = fetch(`${server.url}/lw/Echo/2`, { signal: leaving.signal }).catch(() => 'gone');
    await new Promise((resolve) => setTimeout(resolve, 100));
    leaving.abort();
    expect(await gone).toBe('gone');
    // Past maxBudgetWait: a client still there would have had its 503 by now.
    const stayed = await fetch(`${server.url}/lw/Echo/3`);
    expect(stayed.status).toBe(503);
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(reported).toEqual(['ERR_LW_BUDGET_EXHAUSTED']);
  }, 30_000);
});
