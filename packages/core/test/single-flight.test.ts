import { emulator } from '@lacework-auth/test-kit/vitest';
import { describe, expect, it, vi } from 'vitest';
import { memoryStore } from '../src/stores/memory.js';
import { providerFor } from './support/emulator.js';

describe('single flight', () => {
  it('1,000 concurrent getToken() calls make exactly one exchange', async () => {
    const emu = await emulator();
    const provider = providerFor(emu);
    const results = await Promise.all(Array.from({ length: 1000 }, () => provider.getToken()));
    expect(emu.stats().exchanges).toBe(1);
    expect(emu.stats().requests).toBe(1);
    expect(new Set(results.map((r) => r.token)).size).toBe(1);
    expect(emu.isIssuedToken(results[0]?.token as string)).toBe(true);
  });

  it('later calls reuse the cached token without any request', async () => {
    const emu = await emulator();
    const provider = providerFor(emu);
    const first = await provider.getToken();
    for (let i = 0; i < 20; i++) expect((await provider.getToken()).token).toBe(first.token);
    expect(emu.stats().requests).toBe(1);
  });

  it('concurrent forceRefresh calls share one exchange', async () => {
    const emu = await emulator();
    const provider = providerFor(emu);
    const first = await provider.getToken();
    const forced = await Promise.all(
      Array.from({ length: 50 }, () => provider.getToken({ forceRefresh: true })),
    );
    expect(emu.stats().exchanges).toBe(2);
    expect(new Set(forced.map((r) => r.token)).size).toBe(1);
    expect(forced[0]?.token).not.toBe(first.token);
  });

  it('concurrent callers of two providers on one memory store still exchange once each at most', async () => {
    const emu = await emulator();
    const store = memoryStore();
    const a = providerFor(emu, { store });
    await a.getToken();
    const b = providerFor(emu, { store });
    await Promise.all(Array.from({ length: 100 }, () => b.getToken()));
    expect(emu.stats().exchanges).toBe(1);
  });

  it('a failed exchange rejects every waiting caller, and the next call after the backoff tries again', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      const emu = await emulator();
      const provider = providerFor(emu);
      emu.inject({ route: 'token', status: 500 });
      const results = await Promise.allSettled(
        Array.from({ length: 100 }, () => provider.getToken()),
      );
      expect(results.every((r) => r.status === 'rejected')).toBe(true);
      expect(emu.stats().requests).toBe(1);
      // Within the failure backoff (1 s after a first 5xx), callers get the error again.
      await expect(provider.getToken()).rejects.toMatchObject({ code: 'ERR_LW_SERVER' });
      expect(emu.stats().requests).toBe(1);
      vi.setSystemTime(Date.now() + 1_001);
      await provider.getToken();
      expect(emu.stats().exchanges).toBe(1);
    } finally {
      vi.useRealTimers();
    }
  });
});
