import { emulator } from '@lacework-auth/test-kit/vitest';
import { describe, expect, it } from 'vitest';
import { createLaceworkClient } from '../src/client/client.js';
import { isLaceworkAuthError } from '../src/protocol/errors.js';
import { providerFor, rejectionOf, routeRequests } from './support/emulator.js';

describe('client retries, timeouts and errors', () => {
  it('429 with Retry-After is retried after the requested wait', async () => {
    const emu = await emulator();
    const client = createLaceworkClient({ tokenProvider: providerFor(emu) });
    await client.get('UserProfile').json();
    emu.inject({ route: 'api', status: 429, headers: { 'Retry-After': '1' } });
    const started = Date.now();
    await client.get('UserProfile').json();
    const waited = Date.now() - started;
    expect(waited).toBeGreaterThanOrEqual(950);
    expect(waited).toBeLessThan(3000);
    expect(routeRequests(emu, 'api')).toHaveLength(3);
  });

  it('429 with only RateLimit-Reset waits for the reset', async () => {
    const emu = await emulator();
    const client = createLaceworkClient({ tokenProvider: providerFor(emu) });
    emu.inject({ route: 'api', status: 429, headers: { 'RateLimit-Reset': '1' } });
    const started = Date.now();
    await client.get('UserProfile').json();
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });

  it('aborting the request stops a Retry-After wait', async () => {
    const emu = await emulator();
    const client = createLaceworkClient({ tokenProvider: providerFor(emu) });
    emu.inject({ route: 'api', status: 429, headers: { 'Retry-After': '10' } });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    const started = Date.now();
    const error = await rejectionOf(client.get('UserProfile', { signal: controller.signal }));
    expect(error.name).toBe('AbortError');
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('429 asking for longer than maxRetryAfter fails at once with ERR_LW_RATE_LIMITED', async () => {
    const emu = await emulator();
    const client = createLaceworkClient({
      tokenProvider: providerFor(emu),
      retry: { limit: 3, maxRetryAfter: 500 },
    });
    emu.inject({ route: 'api', status: 429, headers: { 'Retry-After': '60' } });
    const started = Date.now();
    const error = await rejectionOf(client.get('UserProfile'));
    expect(Date.now() - started).toBeLessThan(1000);
    expect(isLaceworkAuthError(error, 'ERR_LW_RATE_LIMITED')).toBe(true);
    expect(error).toMatchObject({ status: 429, retryAfterMs: 60_000 });
  });

  it('without a budget, the emulator rate limit surfaces as ERR_LW_RATE_LIMITED', async () => {
    const emu = await emulator({ rateLimit: { limit: 2, windowMs: 60_000 } });
    const client = createLaceworkClient({
      tokenProvider: providerFor(emu, { budget: false }),
      retry: 0,
    });
    await client.get('UserProfile').json();
    const error = await rejectionOf(client.get('UserProfile'));
    expect(isLaceworkAuthError(error, 'ERR_LW_RATE_LIMITED')).toBe(true);
    expect(error.retryAfterMs).toBeGreaterThan(0);
  });

  it('5xx on GET is retried with backoff, up to `retry.limit`', async () => {
    const emu = await emulator();
    const client = createLaceworkClient({
      tokenProvider: providerFor(emu),
      retry: { limit: 2, backoffLimit: 50 },
    });
    emu.inject({ route: 'api', status: 503, times: 2 });
    await client.get('UserProfile').json();
    expect(routeRequests(emu, 'api')).toHaveLength(3);

    emu.inject({ route: 'api', status: 500, body: { message: 'boom' }, times: 3 });
    const error = await rejectionOf(client.get('UserProfile'));
    expect(isLaceworkAuthError(error, 'ERR_LW_SERVER')).toBe(true);
    expect(error.message).toContain('"boom"');
    expect(routeRequests(emu, 'api')).toHaveLength(6);
  });

  it('5xx on a non-search POST is not retried (it may have been applied)', async () => {
    const emu = await emulator();
    const client = createLaceworkClient({ tokenProvider: providerFor(emu) });
    emu.inject({ route: 'api', status: 502, times: 1 });
    const error = await rejectionOf(client.post('Echo/create', { json: {} }));
    expect(isLaceworkAuthError(error, 'ERR_LW_SERVER')).toBe(true);
    expect(routeRequests(emu, 'echo').length + routeRequests(emu, 'api').length).toBe(1);
  });

  it('5xx on POST .../search is retried', async () => {
    const emu = await emulator();
    const client = createLaceworkClient({
      tokenProvider: providerFor(emu),
      retry: { limit: 1, backoffLimit: 10 },
    });
    emu.inject({ route: 'api', status: 502, times: 1 });
    await client.post('Alerts/search', { json: {} }).json();
  });

  it('other statuses are ERR_LW_HTTP with the server message', async () => {
    const emu = await emulator();
    const client = createLaceworkClient({ tokenProvider: providerFor(emu) });
    emu.inject({ route: 'api', status: 404, body: { message: 'No such thing' } });
    const error = await rejectionOf(client.get('Nope'));
    expect(isLaceworkAuthError(error, 'ERR_LW_HTTP')).toBe(true);
    expect(error).toMatchObject({ status: 404, method: 'GET', url: `${emu.url}/api/v2/Nope` });
    expect(error.message).toContain('No such thing');
  });

  it('a slow answer is ERR_LW_TIMEOUT', async () => {
    const emu = await emulator();
    const client = createLaceworkClient({ tokenProvider: providerFor(emu), timeout: 500 });
    await client.get('UserProfile').json();
    emu.inject({ route: 'api', delayMs: 3000 });
    const started = Date.now();
    const error = await rejectionOf(client.get('UserProfile'));
    expect(isLaceworkAuthError(error, 'ERR_LW_TIMEOUT')).toBe(true);
    expect(error.message).toMatch(/500 ms/);
    expect(Date.now() - started).toBeLessThan(2500);
  });

  it('a reset connection on GET is retried, then ERR_LW_NETWORK', async () => {
    const emu = await emulator();
    const client = createLaceworkClient({
      tokenProvider: providerFor(emu),
      retry: { limit: 1, backoffLimit: 10 },
    });
    await client.get('UserProfile').json();
    emu.inject({ route: 'api', reset: true, times: 1 });
    await client.get('UserProfile').json();
    emu.inject({ route: 'api', reset: true, times: 2 });
    const error = await rejectionOf(client.get('UserProfile'));
    expect(isLaceworkAuthError(error, 'ERR_LW_NETWORK')).toBe(true);
  });

  it('a failed exchange surfaces as the exchange error', async () => {
    const emu = await emulator();
    const client = createLaceworkClient({
      tokenProvider: providerFor(emu, { secret: '_wrong_secret_value' }),
    });
    const error = await rejectionOf(client.get('UserProfile'));
    expect(isLaceworkAuthError(error, 'ERR_LW_KEY_REJECTED')).toBe(true);
    expect(routeRequests(emu, 'api')).toHaveLength(0);
  });
});
