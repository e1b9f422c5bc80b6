import { emulator } from '@lacework-auth/test-kit/vitest';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { refreshWindowMs } from '../src/protocol/refresh.js';
import { providerFor } from './support/emulator.js';

afterEach(() => {
  vi.useRealTimers();
});

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

  // Only Date is faked (the emulator in this process follows it): a token's age is set exactly,
  // so a loaded machine cannot push a call across a window boundary. Sockets run in real time.
  it('serves the cached token outside the window; inside it, only the new one, before expiry', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const emu = await emulator();
    // 2 s tokens: the window is the last 1 s; the background refresh may start 0.5 s before it.
    const provider = providerFor(emu, { expiryTime: 2 });
    const issuedAt = Date.now();
    const first = await provider.getToken();
    const expiresAt = first.expiresAt.getTime();
    expect(expiresAt).toBe(issuedAt + 2000);

    vi.setSystemTime(expiresAt - 1600);
    expect((await provider.getToken()).token).toBe(first.token);
    expect(emu.stats().exchanges).toBe(1);

    // Inside the window, every caller gets the new token (waiting for it), never the old one.
    vi.setSystemTime(expiresAt - 900);
    emu.inject({ route: 'token', delayMs: 200 });
    const inWindow = await Promise.all(Array.from({ length: 5 }, () => provider.getToken()));
    const second = inWindow[0];
    expect(new Set(inWindow.map((t) => t.token))).toEqual(new Set([second?.token]));
    expect(second?.token).not.toBe(first.token);
    expect(emu.isIssuedToken(second?.token ?? '')).toBe(true);
    expect(second?.expiresAt.getTime()).toBe(expiresAt - 900 + 2000);
    expect(emu.stats().exchanges).toBe(2);
  });

  it('caps a custom refresh window at half the lifetime', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const emu = await emulator();
    // A window of 1.9 s on 2 s tokens would refresh at once; capped at 1 s it starts at 1 s of age
    // (the background refresh half a window earlier, at 0.5 s).
    const provider = providerFor(emu, { expiryTime: 2, refreshWindow: () => 1900 });
    const first = await provider.getToken();
    const expiresAt = first.expiresAt.getTime();
    vi.setSystemTime(expiresAt - 1600);
    expect((await provider.getToken()).token).toBe(first.token);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(emu.stats().exchanges).toBe(1);
    vi.setSystemTime(expiresAt - 900);
    expect((await provider.getToken()).token).not.toBe(first.token);
    expect(emu.stats().exchanges).toBe(2);
  });

  it('honours a custom refresh window', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const emu = await emulator();
    // 100 ms instead of the default 1 s on 2 s tokens.
    const provider = providerFor(emu, { expiryTime: 2, refreshWindow: () => 100 });
    const first = await provider.getToken();
    const expiresAt = first.expiresAt.getTime();
    vi.setSystemTime(expiresAt - 300);
    expect((await provider.getToken()).token).toBe(first.token);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(emu.stats().exchanges).toBe(1);
    vi.setSystemTime(expiresAt - 50);
    expect((await provider.getToken()).token).not.toBe(first.token);
    expect(emu.stats().exchanges).toBe(2);
  });

  it('never returns an expired token', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const emu = await emulator();
    const provider = providerFor(emu, { expiryTime: 1, refreshWindow: 0 });
    const first = await provider.getToken();
    vi.setSystemTime(first.expiresAt.getTime() + 20);
    const second = await provider.getToken();
    expect(second.token).not.toBe(first.token);
    expect(second.expiresAt.getTime()).toBeGreaterThan(Date.now());
  });
});
