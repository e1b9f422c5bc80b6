import { join } from 'node:path';
import { emulator, tempDir } from '@lacework-auth/test-kit/vitest';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fileStore } from '../src/stores/file.js';
import { memoryStore } from '../src/stores/memory.js';
import type { TokenStore } from '../src/stores/types.js';
import { providerFor, routeRequests } from './support/emulator.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('invalidate, forceRefresh and store handling', () => {
  it('invalidate() forgets the token in memory and in the store', async () => {
    const emu = await emulator();
    const store = memoryStore();
    const provider = providerFor(emu, { store });
    const first = await provider.getToken();
    await provider.invalidate();
    const second = await provider.getToken();
    expect(second.token).not.toBe(first.token);
    expect(emu.stats().exchanges).toBe(2);
    // A second provider on the same store sees the new token, not the invalidated one.
    expect((await providerFor(emu, { store }).getToken()).token).toBe(second.token);
  });

  it.each([
    [
      'a store whose delete takes a moment',
      async (): Promise<TokenStore> => {
        const inner = memoryStore();
        return {
          get: (key) => inner.get(key),
          set: (key, value) => inner.set(key, value),
          delete: async (key) => {
            await new Promise((resolve) => setTimeout(resolve, 50));
            await inner.delete(key);
          },
        };
      },
    ],
    ['fileStore', async (): Promise<TokenStore> => fileStore({ dir: join(await tempDir(), 'c') })],
  ])(
    '%s: a getToken() during invalidate() does not take the invalidated token back',
    async (_name, makeStore) => {
      const emu = await emulator();
      const provider = providerFor(emu, { store: await makeStore() });
      const first = await provider.getToken();
      const invalidating = provider.invalidate();
      const concurrent = provider.getToken();
      await invalidating;
      await concurrent;
      const after = await provider.getToken();
      expect(after.token).not.toBe(first.token);
      expect(emu.isIssuedToken(after.token)).toBe(true);
      expect(emu.stats().exchanges).toBe(2);
    },
  );

  it('a refresh in flight during invalidate() does not hand its failure to later callers', async () => {
    // Only Date is faked: a 1 h token 8 min before expiry has its refresh running in the background.
    vi.useFakeTimers({ toFake: ['Date'] });
    const emu = await emulator();
    const provider = providerFor(emu);
    const first = await provider.getToken();
    vi.setSystemTime(first.expiresAt.getTime() - 8 * 60_000);
    emu.inject({ route: 'token', status: 503, delayMs: 300 });
    expect((await provider.getToken()).token).toBe(first.token);
    await provider.invalidate();
    // The failing refresh started before invalidate(): callers after it get a new exchange.
    const after = await provider.getToken();
    expect(after.token).not.toBe(first.token);
    expect(emu.isIssuedToken(after.token)).toBe(true);
    // Once the old refresh has failed, it has not re-armed a backoff or replaced the new token.
    await vi.waitFor(() => expect(emu.requests().filter((r) => r.status === 503)).toHaveLength(1), {
      timeout: 3000,
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await provider.getToken()).token).toBe(after.token);
    expect(routeRequests(emu, 'token')).toHaveLength(3);
  });

  it('a refresh in flight during invalidate() neither answers later callers nor lands afterwards', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const emu = await emulator();
    // The token each exchange returned, in the order the exchanges were sent.
    const issued: Promise<string>[] = [];
    const recordingFetch = (input: Request | string | URL, init?: RequestInit) => {
      const response = fetch(input, init);
      issued.push(
        response.then((r) => r.clone().json()).then((body) => (body as { token: string }).token),
      );
      return response;
    };
    const provider = providerFor(emu, { store: memoryStore(), fetch: recordingFetch });
    const first = await provider.getToken();
    vi.setSystemTime(first.expiresAt.getTime() - 8 * 60_000);
    emu.inject({ route: 'token', delayMs: 400 });
    expect((await provider.getToken()).token).toBe(first.token);
    await provider.invalidate();
    const after = await provider.getToken();
    expect(issued).toHaveLength(3);
    const [, stale, fresh] = await Promise.all(issued);
    // Not the refresh started before invalidate(): an exchange of its own.
    expect(after.token).toBe(fresh);
    expect(after.token).not.toBe(stale);
    // Once the slow refresh has landed, the provider still keeps the token it got after invalidate().
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await provider.getToken()).token).toBe(fresh);
  });

  it('forceRefresh exchanges again even with a valid cached token', async () => {
    const emu = await emulator();
    const provider = providerFor(emu, { store: memoryStore() });
    const first = await provider.getToken();
    const forced = await provider.getToken({ forceRefresh: true });
    expect(forced.token).not.toBe(first.token);
    expect(emu.stats().exchanges).toBe(2);
  });

  it('forceRefresh adopts a newer token another provider already stored', async () => {
    const emu = await emulator();
    const store = memoryStore();
    const a = providerFor(emu, { store });
    const b = providerFor(emu, { store });
    const old = await a.getToken();
    expect((await b.getToken()).token).toBe(old.token);
    const fresh = await a.getToken({ forceRefresh: true });
    // b's token was rejected too; it finds a's fresh token in the store instead of exchanging.
    expect((await b.getToken({ forceRefresh: true })).token).toBe(fresh.token);
    expect(emu.stats().exchanges).toBe(2);
  });

  it('a failing store is reported and bypassed, never fatal', async () => {
    const emu = await emulator();
    const broken: TokenStore = {
      get: () => Promise.reject(Object.assign(new Error('disk'), { code: 'EIO' })),
      set: () => {
        throw new Error('disk full');
      },
      delete: () => Promise.reject(new Error('nope')),
    };
    const warnings: string[] = [];
    const provider = providerFor(emu, { store: broken, onWarning: (m) => warnings.push(m) });
    expect(emu.isIssuedToken((await provider.getToken()).token)).toBe(true);
    await provider.invalidate();
    expect(warnings.some((w) => /could not read the token store \(EIO\)/.test(w))).toBe(true);
    expect(warnings.some((w) => /could not write/.test(w))).toBe(true);
    expect(warnings.some((w) => /could not delete/.test(w))).toBe(true);
  });

  it('a stored token about to expire is not adopted', async () => {
    const emu = await emulator();
    const store = memoryStore();
    const provider = providerFor(emu, { store, expiryTime: 600 });
    const { token } = await provider.getToken();
    const keys: string[] = [];
    const spy: TokenStore = {
      get: (key) => {
        keys.push(key);
        return store.get(key);
      },
      set: (key, value) => store.set(key, value),
      delete: (key) => store.delete(key),
    };
    // Rewrite the stored entry so it expires in 5 s (inside the 60 s window of 600 s tokens).
    const other = providerFor(emu, { store: spy, expiryTime: 600 });
    await other.getToken();
    const key = keys[0] as string;
    await store.set(key, { token, expiresAt: Date.now() + 5_000 });
    const third = providerFor(emu, { store, expiryTime: 600 });
    expect((await third.getToken()).token).not.toBe(token);
  });

  it('asynchronous and synchronous stores both work', async () => {
    const emu = await emulator();
    const map = new Map<string, { token: string; expiresAt: number }>();
    const asyncStore: TokenStore = {
      get: async (key) => map.get(key),
      set: async (key, value) => {
        map.set(key, value);
      },
      delete: async (key) => {
        map.delete(key);
      },
    };
    const a = providerFor(emu, { store: asyncStore });
    const b = providerFor(emu, { store: asyncStore });
    expect((await a.getToken()).token).toBe((await b.getToken()).token);
    expect(emu.stats().exchanges).toBe(1);
  });
});
