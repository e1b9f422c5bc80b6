import { createServer } from 'node:net';
import {
  CANARY_SECRET,
  canaryEmulator,
  emulator,
  expectNoSecrets,
} from '@lacework-auth/test-kit/vitest';
import { describe, expect, it } from 'vitest';
import { isLaceworkAuthError, type LaceworkAuthErrorCode } from '../src/protocol/errors.js';
import { providerFor, rejectionOf, routeRequests } from './support/emulator.js';

async function expectCode(promise: Promise<unknown>, code: LaceworkAuthErrorCode) {
  const error = await rejectionOf(promise);
  expect(isLaceworkAuthError(error, code), `${code}: ${error.message}`).toBe(true);
  return error;
}

describe('token exchange failures', () => {
  it('a wrong secret is ERR_LW_KEY_REJECTED naming a keyId prefix and the fix', async () => {
    const emu = await canaryEmulator();
    const key = emu.keys[0];
    if (!key) throw new Error('no key');
    const provider = providerFor(emu, { secret: `${CANARY_SECRET}x` });
    const error = await expectCode(provider.getToken(), 'ERR_LW_KEY_REJECTED');
    expect(error.message).toContain(key.keyId.slice(0, 10));
    expect(error.message).not.toContain(key.keyId);
    expect(error.message).toMatch(/API keys/);
    expect(error).toMatchObject({ status: 401, method: 'POST' });
    expectNoSecrets(error, [CANARY_SECRET]);
  });

  it.each([400, 401, 403])('HTTP %i is ERR_LW_KEY_REJECTED', async (status) => {
    const emu = await emulator();
    emu.inject({ route: 'token', status, body: { message: 'nope' } });
    const error = await expectCode(providerFor(emu).getToken(), 'ERR_LW_KEY_REJECTED');
    expect(error.message).toContain('"nope"');
  });

  it('an unknown sub-account (403) hints at the sub-account', async () => {
    const emu = await emulator();
    const error = await expectCode(
      providerFor(emu, { subAccount: 'no-such-sub' }).getToken(),
      'ERR_LW_KEY_REJECTED',
    );
    expect(error.message).toContain('no-such-sub');
  });

  it('429 is ERR_LW_RATE_LIMITED with retryAfterMs', async () => {
    const emu = await emulator();
    emu.inject({ route: 'token', status: 429, headers: { 'Retry-After': '120' } });
    const error = await expectCode(providerFor(emu).getToken(), 'ERR_LW_RATE_LIMITED');
    expect(error).toMatchObject({ status: 429, retryAfterMs: 120_000 });
    expect(error.message).toMatch(/120 s/);
  });

  it('after a 429 the provider does not ask again before Retry-After', async () => {
    const emu = await emulator();
    emu.inject({ route: 'token', status: 429, headers: { 'Retry-After': '120' } });
    const provider = providerFor(emu);
    await expectCode(provider.getToken(), 'ERR_LW_RATE_LIMITED');
    const again = await expectCode(provider.getToken(), 'ERR_LW_RATE_LIMITED');
    expect(again.retryAfterMs).toBe(120_000);
    expect(routeRequests(emu, 'token')).toHaveLength(1);
  });

  it('an exchange slower than the token lifetime is reported as such', async () => {
    const emu = await emulator();
    emu.inject({ route: 'token', delayMs: 1100 });
    const error = await expectCode(
      providerFor(emu, { expiryTime: 1 }).getToken(),
      'ERR_LW_BAD_RESPONSE',
    );
    expect(error.message).toMatch(/longer than the requested lifetime/);
  });

  it('429 without Retry-After uses RateLimit-Reset', async () => {
    const emu = await emulator({ rateLimit: { limit: 1, windowMs: 60_000 } });
    const key = emu.keys[0];
    if (!key) throw new Error('no key');
    // Without a budget (which would hold the second exchange back), the server's 429 shows.
    await providerFor(emu, { budget: false }).getToken();
    const error = await expectCode(
      providerFor(emu, { budget: false }).getToken(),
      'ERR_LW_RATE_LIMITED',
    );
    expect(error.retryAfterMs).toBeGreaterThan(50_000);
  });

  it('retries a 429 whose Retry-After is short, and waits for it', async () => {
    const emu = await emulator();
    emu.inject({ route: 'token', status: 429, headers: { 'Retry-After': '1' } });
    const started = Date.now();
    await providerFor(emu, { retry: 1 }).getToken();
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(routeRequests(emu, 'token')).toHaveLength(2);
  });

  it('a 429 asking for longer than maxRetryAfter fails at once', async () => {
    const emu = await emulator();
    emu.inject({ route: 'token', status: 429, headers: { 'Retry-After': '3600' } });
    const started = Date.now();
    await expectCode(providerFor(emu, { retry: 2 }).getToken(), 'ERR_LW_RATE_LIMITED');
    expect(Date.now() - started).toBeLessThan(1000);
    expect(routeRequests(emu, 'token')).toHaveLength(1);
  });

  it.each([500, 502, 503])('HTTP %i is ERR_LW_SERVER, retried with backoff', async (status) => {
    const emu = await emulator();
    emu.inject({ route: 'token', status, times: 3 });
    await expectCode(providerFor(emu, { retry: 1 }).getToken(), 'ERR_LW_SERVER');
    expect(routeRequests(emu, 'token')).toHaveLength(2);
    emu.clearFaults();
    emu.inject({ route: 'token', status, times: 1 });
    await providerFor(emu, { retry: 1 }).getToken();
  });

  it.each([
    [
      'an HTML page',
      {
        status: 200,
        body: '<!DOCTYPE html><html><body>Sign in</body></html>',
        headers: { 'Content-Type': 'text/html' },
      },
      /HTML page/,
    ],
    ['a truncated JSON body', { malformed: true as const }, /not JSON/],
    ['an empty body', { status: 201, body: '' }, /not JSON \(empty\)/],
    ['no token', { status: 201, body: { expiresAt: '2099-01-01T00:00:00.000Z' } }, /`token`/],
    [
      'an empty token',
      { status: 201, body: { token: '', expiresAt: '2099-01-01T00:00:00.000Z' } },
      /`token`/,
    ],
    [
      'a token with a line break',
      { status: 201, body: { token: 'a\r\nb', expiresAt: '2099-01-01T00:00:00.000Z' } },
      /`token`/,
    ],
    ['no expiresAt', { status: 201, body: { token: 'tok' } }, /no `expiresAt`/],
    [
      'an unreadable expiresAt',
      { status: 201, body: { token: 'tok', expiresAt: 'tomorrow' } },
      /unreadable `expiresAt`/,
    ],
    [
      'a numeric expiresAt',
      { status: 201, body: { token: 'tok', expiresAt: 1234 } },
      /`expiresAt`/,
    ],
    [
      'an expiresAt in the past',
      { status: 201, body: { token: 'tok', expiresAt: '2000-01-01T00:00:00.000Z' } },
      /clock/,
    ],
    ['a JSON array', { status: 201, body: '[]' }, /`token`/],
    ['an unexpected 404', { status: 404, body: { message: 'Not Found' } }, /HTTP 404/],
    [
      'a redirect',
      { status: 302, body: '', headers: { Location: 'https://elsewhere.example/login?x=1' } },
      /redirected \(HTTP 302 to https:\/\/elsewhere\.example\)/,
    ],
  ])('%s is ERR_LW_BAD_RESPONSE with a clear message', async (_name, fault, message) => {
    const emu = await emulator();
    emu.inject({ route: 'token', ...fault });
    const error = await expectCode(providerFor(emu).getToken(), 'ERR_LW_BAD_RESPONSE');
    expect(error.message).toMatch(message);
  });

  it('a reset connection is ERR_LW_NETWORK', async () => {
    const emu = await emulator();
    emu.inject({ route: 'token', reset: true });
    const error = await expectCode(providerFor(emu).getToken(), 'ERR_LW_NETWORK');
    expect(error.message).toMatch(/could not reach 127\.0\.0\.1/);
  });

  it('a refused connection is ERR_LW_NETWORK naming ECONNREFUSED', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    await new Promise((resolve) => server.close(resolve));
    const { createTokenProvider } = await import('../src/provider/token-provider.js');
    const provider = createTokenProvider({
      baseUrl: `http://127.0.0.1:${port}`,
      keyId: 'K_1',
      secret: CANARY_SECRET,
      env: {},
      retry: 0,
    });
    const error = await expectCode(provider.getToken(), 'ERR_LW_NETWORK');
    expect(error.message).toContain('ECONNREFUSED');
    expectNoSecrets(error, [CANARY_SECRET]);
  });

  it('network errors are retried', async () => {
    const emu = await emulator();
    emu.inject({ route: 'token', reset: true });
    await providerFor(emu, { retry: { limit: 1, backoffLimit: 10 } }).getToken();
    expect(emu.stats().exchanges).toBe(1);
  });

  it('a slow answer is ERR_LW_TIMEOUT after `timeout` ms', async () => {
    const emu = await emulator();
    emu.inject({ route: 'token', delayMs: 2000 });
    const started = Date.now();
    const error = await expectCode(providerFor(emu, { timeout: 200 }).getToken(), 'ERR_LW_TIMEOUT');
    expect(Date.now() - started).toBeLessThan(1500);
    expect(error.message).toMatch(/200 ms/);
  });
});
