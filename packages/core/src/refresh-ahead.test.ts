import { describe, expect, it } from 'vitest';
import { refreshWindowMs } from './constants.js';
import { emulator, providerFor } from './test-support/emulator.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('refresh ahead of expiry', () => {
  it('refreshWindowMs follows the shared rule', () => {
    expect(refreshWindowMs(3_600_000)).toBe(300_000);
    expect(refreshWindowMs(86_400_000)).toBe(300_000);
    expect(refreshWindowMs(600_000)).toBe(60_000);
    expect(refreshWindowMs(10_000)).toBe(1000);
    expect(refreshWindowMs(2_000)).toBe(1000);
    expect(refreshWindowMs(1_000)).toBe(500);
    expect(refreshWindowMs(0)).toBe(0);
    expect(refreshWindowMs(Number.NaN)).toBe(0);
  });

  it('serves the cached token outside the window and a new one inside it, before expiry', async () => {
    const emu = await emulator();
    // 2 s tokens: the window is 1 s, so the token is refreshed between 1 s and 2 s of age.
    const provider = providerFor(emu, { expiryTime: 2 });
    const before = Date.now();
    const first = await provider.getToken();
    const after = Date.now();
    expect(first.expiresAt.getTime()).toBeGreaterThanOrEqual(before + 2000 - 1);
    expect(first.expiresAt.getTime()).toBeLessThanOrEqual(after + 2000);
    await sleep(100);
    const askedAt = Date.now();
    const again = await provider.getToken();
    // Still outside the window (unless the machine stalled for most of a second).
    expect(askedAt).toBeLessThan(first.expiresAt.getTime() - 1000);
    expect(again.token).toBe(first.token);
    expect(emu.stats().exchanges).toBe(1);

    await sleep(Math.max(0, first.expiresAt.getTime() - Date.now() - 700));
    // Inside the window the old token is still served while the refresh runs in the background
    // (see background-refresh.test.ts); the new one follows before the old one expires.
    let second = await provider.getToken();
    while (second.token === first.token && Date.now() < first.expiresAt.getTime()) {
      await sleep(10);
      second = await provider.getToken();
    }
    expect(Date.now()).toBeLessThan(first.expiresAt.getTime());
    expect(second.token).not.toBe(first.token);
    expect(emu.stats().exchanges).toBe(2);
    // The old token was still valid when it was replaced: no request ever used an expired token.
    expect(second.expiresAt.getTime()).toBeGreaterThan(first.expiresAt.getTime());
  });

  it('honours a custom refreshWindow', async () => {
    const emu = await emulator();
    // A window of 1.9 s on 2 s tokens is capped at half the lifetime: refresh after ~1 s.
    const provider = providerFor(emu, { expiryTime: 2, refreshWindow: () => 0 });
    const first = await provider.getToken();
    await sleep(1200);
    expect((await provider.getToken()).token).toBe(first.token);
    expect(emu.stats().exchanges).toBe(1);
  });

  it('never returns an expired token', async () => {
    const emu = await emulator();
    const provider = providerFor(emu, { expiryTime: 1, refreshWindow: 0 });
    const first = await provider.getToken();
    await sleep(first.expiresAt.getTime() - Date.now() + 20);
    const second = await provider.getToken();
    expect(second.token).not.toBe(first.token);
    expect(second.expiresAt.getTime()).toBeGreaterThan(Date.now());
  });
});
