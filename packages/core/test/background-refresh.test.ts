import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { emulator, tempDir } from '@lacework-auth/test-kit/vitest';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { TokenProviderOptions } from '../src/provider/token-provider.js';
import { fileStore } from '../src/stores/file.js';
import { memoryStore } from '../src/stores/memory.js';
import type { TokenStore } from '../src/stores/types.js';
import { providerFor, routeRequests } from './support/emulator.js';

// Only Date is faked: the token's age is set exactly, while sockets and the emulator's delays run
// in real time (measured with performance.now, which stays real).
afterEach(() => {
  vi.useRealTimers();
});

/** A provider holding a 1 h token (5 min refresh window), with the clock moved to `beforeExpiryMs`. */
async function tokenAged(beforeExpiryMs: number, options: TokenProviderOptions = {}) {
  vi.useFakeTimers({ toFake: ['Date'] });
  const emu = await emulator();
  const provider = providerFor(emu, options);
  const first = await provider.getToken();
  vi.setSystemTime(first.expiresAt.getTime() - beforeExpiryMs);
  emu.resetStats();
  return { emu, provider, first };
}

async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - started };
}

// A 1 h token has a 5 min refresh window; its background refresh starts 10 min before expiry.
describe('ahead of the refresh window, the refresh runs in the background', () => {
  it('a slow refresh costs callers nothing: the old token at once, then the new one', async () => {
    const { emu, provider, first } = await tokenAged(8 * 60_000);
    emu.inject({ route: 'token', delayMs: 800 });
    const { value: results, ms } = await timed(() =>
      Promise.all(Array.from({ length: 20 }, () => provider.getToken())),
    );
    expect(ms).toBeLessThan(400);
    expect(new Set(results.map((r) => r.token))).toEqual(new Set([first.token]));

    const latest = await vi.waitFor(
      async () => {
        const { token } = await provider.getToken();
        if (token === first.token) throw new Error('still the old token');
        return token;
      },
      { timeout: 5000, interval: 50 },
    );
    expect(emu.isIssuedToken(latest)).toBe(true);
    // One background exchange for all those callers.
    expect(routeRequests(emu, 'token')).toHaveLength(1);
  });

  it('inside the refresh window, callers wait for the new token instead of getting the old one', async () => {
    const { emu, provider, first } = await tokenAged(2 * 60_000);
    emu.inject({ route: 'token', delayMs: 500 });
    const { value, ms } = await timed(() => provider.getToken());
    expect(ms).toBeGreaterThanOrEqual(450);
    expect(value.token).not.toBe(first.token);
    expect(routeRequests(emu, 'token')).toHaveLength(1);
  });

  it('a failed background refresh is no unhandled rejection; the old token stays in service', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const { emu, provider, first } = await tokenAged(8 * 60_000);
      emu.inject({ route: 'token', status: 503, times: Number.POSITIVE_INFINITY });
      expect((await provider.getToken()).token).toBe(first.token);
      await vi.waitFor(() => expect(routeRequests(emu, 'token')).toHaveLength(1));
      // Let the failure settle, then keep asking: still the old token, and the retry waits.
      await new Promise((resolve) => setTimeout(resolve, 100));
      for (let i = 0; i < 10; i++) expect((await provider.getToken()).token).toBe(first.token);
      expect(routeRequests(emu, 'token')).toHaveLength(1);
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it.each([
    ['memoryStore', async () => memoryStore()],
    ['fileStore', async () => fileStore({ dir: join(await tempDir(), 'cache') })],
  ])(
    '%s: the background refresh exchanges rather than re-adopt the stored token',
    async (_name, makeStore) => {
      const inner = await makeStore();
      let reads = 0;
      const store: TokenStore = {
        get: (key) => {
          reads++;
          return inner.get(key);
        },
        set: (key, value) => inner.set(key, value),
        delete: (key) => inner.delete(key),
        withLock: inner.withLock?.bind(inner),
      };
      const { emu, provider, first } = await tokenAged(8 * 60_000, { store });
      expect((await provider.getToken()).token).toBe(first.token);
      const latest = await vi.waitFor(
        async () => {
          const { token } = await provider.getToken();
          if (token === first.token) throw new Error('still the old token');
          return token;
        },
        { timeout: 3000, interval: 20 },
      );
      expect(emu.isIssuedToken(latest)).toBe(true);
      expect(routeRequests(emu, 'token')).toHaveLength(1);
      // The new token is in memory and in the store: calls read neither the store nor the network.
      reads = 0;
      for (let i = 0; i < 100; i++) expect((await provider.getToken()).token).toBe(latest);
      expect(reads).toBe(0);
      // Another provider on the store takes the new token over without an exchange.
      expect((await providerFor(emu, { store: inner }).getToken()).token).toBe(latest);
      expect(routeRequests(emu, 'token')).toHaveLength(1);
    },
  );
});
