import { emulator } from '@lacework-auth/test-kit/vitest';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Credentials } from '../src/credentials/resolve.js';
import { isLaceworkAuthError } from '../src/protocol/errors.js';
import { createTokenProvider } from '../src/provider/token-provider.js';
import { providerFor, rejectionOf, routeRequests } from './support/emulator.js';

// Only Date is faked: sockets and the emulator's timers run for real, the backoff clock is ours.
const advance = (ms: number) => vi.setSystemTime(Date.now() + ms);
afterEach(() => {
  vi.useRealTimers();
});

describe('without a token, a failed exchange is not repeated for every caller', () => {
  it('a rejected key: one exchange, then the same error until the backoff (30 s, doubling) ends', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const emu = await emulator();
    const provider = providerFor(emu, { secret: '_not-the-secret-0123456789abcdef' });
    const errors = [];
    for (let i = 0; i < 50; i++) errors.push(await rejectionOf(provider.getToken()));
    expect(routeRequests(emu, 'token')).toHaveLength(1);
    for (const error of errors) {
      expect(isLaceworkAuthError(error, 'ERR_LW_KEY_REJECTED')).toBe(true);
      expect(error.message).toBe(errors[0]?.message);
      expect(error.status).toBe(401);
    }
    // Each caller gets its own error object.
    expect(new Set(errors).size).toBe(errors.length);

    advance(29_000);
    await rejectionOf(provider.getToken());
    expect(routeRequests(emu, 'token')).toHaveLength(1);
    advance(1_001);
    await rejectionOf(provider.getToken());
    expect(routeRequests(emu, 'token')).toHaveLength(2);
    // Then 60 s.
    advance(59_000);
    await rejectionOf(provider.getToken());
    expect(routeRequests(emu, 'token')).toHaveLength(2);
    advance(1_001);
    await rejectionOf(provider.getToken());
    expect(routeRequests(emu, 'token')).toHaveLength(3);
  });

  it('5xx and network errors back off 1 s, 2 s, 4 s … and recover afterwards', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const emu = await emulator();
    const provider = providerFor(emu);
    emu.inject({ route: 'token', status: 503, times: 2 });
    emu.inject({ route: 'token', reset: true });
    const codes: string[] = [];
    const attempt = async () => {
      const error = await rejectionOf(provider.getToken());
      codes.push(error.code);
    };
    for (let i = 0; i < 20; i++) await attempt();
    expect(routeRequests(emu, 'token')).toHaveLength(1);
    advance(1_001);
    for (let i = 0; i < 20; i++) await attempt();
    expect(routeRequests(emu, 'token')).toHaveLength(2);
    advance(1_500);
    await attempt();
    expect(routeRequests(emu, 'token')).toHaveLength(2);
    advance(501);
    for (let i = 0; i < 20; i++) await attempt();
    expect(routeRequests(emu, 'token')).toHaveLength(3);
    expect(new Set(codes)).toEqual(new Set(['ERR_LW_SERVER', 'ERR_LW_NETWORK']));
    expect(codes.at(-1)).toBe('ERR_LW_NETWORK');
    advance(4_001);
    expect(emu.isIssuedToken((await provider.getToken()).token)).toBe(true);
    expect(routeRequests(emu, 'token')).toHaveLength(4);
  });

  it('forceRefresh and invalidate() bypass the backoff', async () => {
    const emu = await emulator();
    const provider = providerFor(emu);
    emu.inject({ route: 'token', status: 500, times: 3 });
    await rejectionOf(provider.getToken());
    await rejectionOf(provider.getToken({ forceRefresh: true }));
    expect(routeRequests(emu, 'token')).toHaveLength(2);
    await provider.invalidate();
    await rejectionOf(provider.getToken());
    expect(routeRequests(emu, 'token')).toHaveLength(3);
    await rejectionOf(provider.getToken());
    expect(routeRequests(emu, 'token')).toHaveLength(3);
    expect(emu.isIssuedToken((await provider.getToken({ forceRefresh: true })).token)).toBe(true);
  });

  it('a rotated key (new `credentials` result) is tried at once', async () => {
    const emu = await emulator();
    const good = emu.keys[0];
    if (!good) throw new Error('no key');
    let current: Credentials = { keyId: good.keyId, secret: '_revoked-secret-0123456789abcdef' };
    let reads = 0;
    const provider = createTokenProvider({
      baseUrl: emu.url,
      env: {},
      retry: 0,
      credentials: () => {
        reads++;
        return current;
      },
    });
    await rejectionOf(provider.getToken());
    await rejectionOf(provider.getToken());
    expect(routeRequests(emu, 'token')).toHaveLength(1);
    current = { keyId: good.keyId, secret: good.secret };
    const { token } = await provider.getToken();
    expect(emu.isIssuedToken(token)).toBe(true);
    expect(routeRequests(emu, 'token')).toHaveLength(2);
    // Once per exchange, plus once per call during the backoff (to notice a rotation).
    expect(reads).toBe(3);
  });

  it("another rejected key starts its own backoff at 30 s, not where the last key's ended", async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const emu = await emulator();
    const good = emu.keys[0];
    if (!good) throw new Error('no key');
    let secret = '_revoked-secret-0123456789abcdef';
    const provider = createTokenProvider({
      baseUrl: emu.url,
      env: {},
      retry: 0,
      credentials: () => ({ keyId: good.keyId, secret }),
    });
    await rejectionOf(provider.getToken());
    advance(30_001);
    await rejectionOf(provider.getToken()); // second failure of this key: next wait 60 s
    expect(routeRequests(emu, 'token')).toHaveLength(2);
    secret = '_another-wrong-secret-0123456789ab';
    await rejectionOf(provider.getToken());
    expect(routeRequests(emu, 'token')).toHaveLength(3);
    advance(30_001);
    await rejectionOf(provider.getToken());
    expect(routeRequests(emu, 'token')).toHaveLength(4);
  });
});
