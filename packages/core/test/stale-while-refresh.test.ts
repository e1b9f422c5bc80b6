import { emulator } from '@lacework-auth/test-kit/vitest';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { isLaceworkAuthError } from '../src/protocol/errors.js';
import { providerFor, rejectionOf, routeRequests } from './support/emulator.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
afterEach(() => {
  vi.useRealTimers();
});

describe('stale token while the refresh fails', () => {
  it('serves the still-valid token, backs off, and fails only once it expired', async () => {
    const emu = await emulator();
    const provider = providerFor(emu, { expiryTime: 2 });
    const first = await provider.getToken();
    emu.inject({ route: 'token', status: 503, times: Number.POSITIVE_INFINITY });

    // Into the 1 s refresh window.
    await sleep(first.expiresAt.getTime() - Date.now() - 900);
    const results: string[] = [];
    const stopAt = first.expiresAt.getTime() - 50;
    while (Date.now() < stopAt) {
      results.push((await provider.getToken()).token);
      await sleep(5);
    }
    expect(results.length).toBeGreaterThan(20);
    expect(new Set(results)).toEqual(new Set([first.token]));
    // Many calls, few attempts: the failed refresh is retried after a backoff, not per call.
    const attempts = routeRequests(emu, 'token').length - 1;
    expect(attempts).toBeGreaterThanOrEqual(1);
    expect(attempts).toBeLessThanOrEqual(6);

    await sleep(Math.max(0, first.expiresAt.getTime() - Date.now() + 20));
    const error = await rejectionOf(provider.getToken());
    expect(isLaceworkAuthError(error, 'ERR_LW_SERVER')).toBe(true);

    // Recovery needs no intervention: once the failure backoff (1 s) is over, the next call
    // exchanges again.
    emu.clearFaults();
    const recovered = await vi.waitFor(() => provider.getToken(), { timeout: 5000, interval: 50 });
    expect(recovered.token).not.toBe(first.token);
  });

  it('uses a new token as soon as a retried refresh succeeds', async () => {
    const emu = await emulator();
    const provider = providerFor(emu, { expiryTime: 2 });
    const first = await provider.getToken();
    emu.inject({ route: 'token', status: 500, times: 1 });
    await sleep(first.expiresAt.getTime() - Date.now() - 900);
    expect((await provider.getToken()).token).toBe(first.token);
    let latest = first.token;
    while (latest === first.token && Date.now() < first.expiresAt.getTime() - 20) {
      await sleep(20);
      latest = (await provider.getToken()).token;
    }
    expect(latest).not.toBe(first.token);
    expect(emu.stats().exchanges).toBe(2);
  });

  it('a rejected key is retried after the rejected-key backoff, capped to leave attempts before expiry', async () => {
    // Only Date is faked: the emulator and sockets run in real time.
    vi.useFakeTimers({ toFake: ['Date'] });
    const advance = (ms: number) => vi.setSystemTime(Date.now() + ms);
    const emu = await emulator();
    const provider = providerFor(emu);
    const first = await provider.getToken();
    emu.inject({ route: 'token', status: 401, times: Number.POSITIVE_INFINITY });
    const attempts = () => routeRequests(emu, 'token').length - 1;
    const settle = async (count: number) => {
      await vi.waitFor(() => expect(attempts()).toBe(count));
      await sleep(50);
    };

    // 8 min before expiry (1 h token): the background refresh is rejected.
    vi.setSystemTime(first.expiresAt.getTime() - 8 * 60_000);
    expect((await provider.getToken()).token).toBe(first.token);
    await settle(1);
    // Not every 250 ms: the next attempt waits 30 s.
    for (let i = 0; i < 29; i++) {
      advance(1_000);
      expect((await provider.getToken()).token).toBe(first.token);
    }
    await sleep(50);
    expect(attempts()).toBe(1);
    advance(1_001);
    expect((await provider.getToken()).token).toBe(first.token);
    await settle(2);

    // 45 s before expiry the wait (2 min by now) is capped at a third of the time left: 15 s.
    vi.setSystemTime(first.expiresAt.getTime() - 45_000);
    expect((await provider.getToken()).token).toBe(first.token);
    await settle(3);
    advance(14_000);
    expect((await provider.getToken()).token).toBe(first.token);
    await sleep(50);
    expect(attempts()).toBe(3);
    advance(1_100);
    expect((await provider.getToken()).token).toBe(first.token);
    await settle(4);
  });
});
