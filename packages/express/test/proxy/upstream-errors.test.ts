import { createTokenProvider, type TokenProvider } from '@lacework-auth/core';
import type { Emulator } from '@lacework-auth/emulator';
import { sharedEmulator } from '@lacework-auth/test-kit/vitest';
import express, { type Request } from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { laceworkProxy } from '../../src/proxy/proxy.js';
import { closeServer, keyOptions, listen } from '../support/servers.js';

const emu = await sharedEmulator({ rateLimit: false });

function proxyApp(provider: TokenProvider, options: Parameters<typeof laceworkProxy>[0] = {}) {
  const errors: Error[] = [];
  const app = express().use(
    '/lw',
    laceworkProxy({
      tokenProvider: provider,
      onError: (error: Error, _req: Request) => {
        errors.push(error);
      },
      ...options,
    }),
  );
  return { app, errors };
}

const fresh = () => createTokenProvider({ ...keyOptions(emu), retry: 0, timeout: 500 });

function expectJsonError(res: request.Response, status: number, code: string) {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  expect(res.body.error.code).toBe(code);
  expect(typeof res.body.error.message).toBe('string');
}

describe('laceworkProxy maps upstream failures to 502/504 JSON errors', () => {
  it('502 ERR_LW_NETWORK when the connection is reset', async () => {
    const provider = fresh();
    await provider.getToken();
    const { app, errors } = proxyApp(provider);
    emu.inject({ route: '/api/v2/UserProfile', reset: true });
    expectJsonError(await request(app).get('/lw/UserProfile'), 502, 'ERR_LW_NETWORK');
    expect(errors).toHaveLength(1);
  });

  it('502 ERR_LW_NETWORK when nothing listens at the base URL', async () => {
    const dead = await listen((_req, res) => res.end());
    await closeServer(dead.server);
    const provider: TokenProvider = {
      getToken: async () => ({
        token: 'unused-token-value',
        expiresAt: new Date(Date.now() + 60_000),
      }),
      invalidate: async () => {},
      baseUrl: dead.url,
    };
    const { app, errors } = proxyApp(provider);
    const res = await request(app).get('/lw/UserProfile');
    expectJsonError(res, 502, 'ERR_LW_NETWORK');
    expect((errors[0]?.cause as NodeJS.ErrnoException | undefined)?.code).toBe('ECONNREFUSED');
  });

  it('504 ERR_LW_TIMEOUT when Lacework stays silent past upstreamTimeout', async () => {
    const provider = fresh();
    await provider.getToken();
    const { app } = proxyApp(provider, { upstreamTimeout: 200 });
    emu.inject({ route: '/api/v2/UserProfile', delayMs: 1000 });
    const started = Date.now();
    expectJsonError(await request(app).get('/lw/UserProfile'), 504, 'ERR_LW_TIMEOUT');
    expect(Date.now() - started).toBeLessThan(900);
  });

  it('passes a 5xx answer from Lacework through as it is (it is an answer, not a failure)', async () => {
    const provider = fresh();
    const { app } = proxyApp(provider);
    emu.inject({ route: '/api/v2/UserProfile', status: 500, body: { message: 'boom' } });
    const res = await request(app).get('/lw/UserProfile');
    expect(res.status).toBe(500);
    expect(res.body).toEqual({ message: 'boom' });
  });
});

describe('laceworkProxy maps token exchange failures to gateway statuses', () => {
  it.each([
    [{ route: 'token', status: 401, body: { message: 'invalid key' } }, 502, 'ERR_LW_KEY_REJECTED'],
    [{ route: 'token', status: 500 }, 502, 'ERR_LW_SERVER'],
    [{ route: 'token', status: 200, body: '<html>login</html>' }, 502, 'ERR_LW_BAD_RESPONSE'],
    [{ route: 'token', malformed: true }, 502, 'ERR_LW_BAD_RESPONSE'],
    [{ route: 'token', reset: true }, 502, 'ERR_LW_NETWORK'],
    [
      { route: 'token', status: 429, headers: { 'Retry-After': '120' } },
      503,
      'ERR_LW_RATE_LIMITED',
    ],
    [{ route: 'token', delayMs: 1500 }, 504, 'ERR_LW_TIMEOUT'],
  ] as const)('%j → %i %s', async (fault, status, code) => {
    const { app, errors } = proxyApp(fresh());
    emu.inject(fault as Parameters<Emulator['inject']>[0]);
    const res = await request(app).get('/lw/UserProfile');
    expectJsonError(res, status, code);
    if (status === 503) expect(res.headers['retry-after']).toBe('120');
    expect(emu.requests().filter((r) => r.route === 'api')).toEqual([]);
    expect(errors[0]).toMatchObject({ code });
    // The client gets a generic message; the details (URL, key ID) stay in onError.
    expect(res.body.error.message).not.toContain(emu.url);
    expect(res.body.error.message).not.toContain(emu.keys[0]?.keyId ?? 'x');
  });
});
