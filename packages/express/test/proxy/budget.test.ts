import {
  createLaceworkClient,
  createTokenProvider,
  memoryBudgetStore,
  type TokenProviderOptions,
} from '@lacework-auth/core';
import { type Emulator, startEmulator } from '@lacework-auth/emulator';
import { keyOptions } from '@lacework-auth/test-kit';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { laceworkAuth, requireLacework } from '../../src/auth.js';
import { laceworkErrorHandler } from '../../src/error-handler.js';
import { type LaceworkProxyOptions, laceworkProxy } from '../../src/proxy/proxy.js';
import { listen } from '../support/servers.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(
  emulatorLimit: { limit: number; windowMs: number },
  budget: TokenProviderOptions['budget'],
  options: LaceworkProxyOptions = {},
) {
  const emu: Emulator = await startEmulator({ rateLimit: emulatorLimit });
  cleanups.push(() => emu.close());
  const provider = createTokenProvider({
    ...keyOptions(emu),
    env: {},
    budget,
  });
  const server = await listen(
    express().use('/lw', laceworkProxy({ tokenProvider: provider, allow: ['**'], ...options })),
  );
  cleanups.push(server.close);
  const get = async (path: string) => {
    const res = await fetch(`${server.url}/lw/${path}`);
    return { status: res.status, headers: res.headers, body: await res.text() };
  };
  return { emu, provider, get };
}

describe('the proxy spends the key’s rate budget', () => {
  it('answers 503 with Retry-After, without sending, once the budget is spent', async () => {
    const { emu, get } = await setup(
      { limit: 480, windowMs: 3_600_000 },
      { limit: 3, windowMs: 60_000, store: memoryBudgetStore() },
      { maxBudgetWait: 0 },
    );
    expect((await get('Echo/1')).status).toBe(200); // exchange + call
    expect((await get('Echo/2')).status).toBe(200);
    const refused = await get('Echo/3');
    expect(refused.status).toBe(503);
    expect(JSON.parse(refused.body)).toEqual({
      error: {
        code: 'ERR_LW_BUDGET_EXHAUSTED',
        message: 'Lacework rate limit reached; try again later.',
      },
    });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(50);
    expect(emu.stats()).toMatchObject({ exchanges: 1, apiCalls: 2, rateLimited: 0 });
  });

  it('follows Lacework’s RateLimit-* headers: no 429 ever reaches a client', async () => {
    const { emu, get } = await setup(
      { limit: 4, windowMs: 60_000 },
      { store: memoryBudgetStore() }, // the default 480/hour, corrected by the headers
      { maxBudgetWait: 1000 },
    );
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push((await get(`Echo/${i}`)).status);
    expect(statuses).toEqual([200, 200, 200, 503, 503, 503]);
    expect(emu.stats()).toMatchObject({ exchanges: 1, rateLimited: 0 });
  });

  it('shares the budget with the app’s own client on the same provider', async () => {
    const { emu, provider, get } = await setup(
      { limit: 480, windowMs: 3_600_000 },
      { limit: 3, windowMs: 60_000, store: memoryBudgetStore() },
      { maxBudgetWait: 0 },
    );
    const lacework = createLaceworkClient({ tokenProvider: provider });
    await lacework.get('UserProfile').json(); // exchange + call
    expect((await get('Echo/a')).status).toBe(200);
    expect((await get('Echo/b')).status).toBe(503);
    expect(provider.budget?.stats()).toMatchObject({ used: 3, remaining: 0 });
    expect(emu.stats()).toMatchObject({ exchanges: 1, apiCalls: 2 });
  });

  it('a request that fits within maxBudgetWait waits for room and is then answered', async () => {
    const { emu, get } = await setup(
      { limit: 480, windowMs: 3_600_000 },
      { limit: 2, windowMs: 1_000, store: memoryBudgetStore() },
    );
    const answers = await Promise.all(['Echo/1', 'Echo/2', 'Echo/3'].map((path) => get(path)));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(emu.stats()).toMatchObject({ exchanges: 1, apiCalls: 3, rateLimited: 0 });
  });

  it('a token exchange that finds no room waits maxBudgetWait at most, then 503 with Retry-After', async () => {
    const { emu, provider, get } = await setup(
      { limit: 480, windowMs: 3_600_000 },
      { limit: 2, windowMs: 60_000, store: memoryBudgetStore() }, // the provider waits unbounded
      { maxBudgetWait: 300 },
    );
    expect((await get('Echo/1')).status).toBe(200); // exchange + call: the budget is spent
    await provider.invalidate(); // the next request needs an exchange, which finds no room
    const refused = await get('Echo/2');
    expect(refused.status).toBe(503);
    expect(JSON.parse(refused.body)).toMatchObject({ error: { code: 'ERR_LW_BUDGET_EXHAUSTED' } });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(30);
    expect(emu.stats()).toMatchObject({ exchanges: 1, apiCalls: 1 });
    // The exchange still waits in line for later requests; it is not sent within the window.
    expect(provider.budget?.stats()).toMatchObject({ used: 2, remaining: 0 });
  });

  it('a token exchange that only takes long (the budget has room) is waited for', async () => {
    const { emu, get } = await setup(
      { limit: 480, windowMs: 3_600_000 },
      { limit: 10, windowMs: 60_000, store: memoryBudgetStore() },
      { maxBudgetWait: 0 },
    );
    emu.inject({ route: 'token', delayMs: 300 });
    const answer = await get('Echo/slow-exchange');
    expect(answer.status).toBe(200);
    expect(emu.stats()).toMatchObject({ exchanges: 1, apiCalls: 1 });
  });

  it('laceworkAuth’s client and laceworkProxy with the same options draw on one budget', async () => {
    const emu = await startEmulator({ rateLimit: false });
    cleanups.push(() => emu.close());
    const key = emu.keys[0];
    if (!key) throw new Error('no key');
    const options = {
      baseUrl: emu.url,
      keyId: key.keyId,
      secret: key.secret,
      env: {},
      budget: { limit: 3, windowMs: 60_000, maxWait: 0, store: memoryBudgetStore() },
    };
    const app = express();
    app.use(laceworkAuth(options));
    app.get('/me', async (req, res, next) => {
      try {
        res.json(await requireLacework(req).client.get('UserProfile').json());
      } catch (error) {
        next(error);
      }
    });
    app.use('/lw', laceworkProxy({ ...options, maxBudgetWait: 0 }));
    app.use(laceworkErrorHandler());
    const server = await listen(app);
    cleanups.push(server.close);
    expect((await fetch(`${server.url}/me`)).status).toBe(200); // exchange + call
    expect((await fetch(`${server.url}/lw/UserProfile`)).status).toBe(200);
    expect((await fetch(`${server.url}/lw/CloudAccounts`)).status).toBe(503);
    const refused = await fetch(`${server.url}/me`);
    expect(refused.status).toBe(503);
    const body = (await refused.json()) as { error: { code: string } };
    expect(body.error.code).toBe('ERR_LW_BUDGET_EXHAUSTED');
    expect(emu.stats()).toMatchObject({ exchanges: 1, apiCalls: 2 });
  });
});
