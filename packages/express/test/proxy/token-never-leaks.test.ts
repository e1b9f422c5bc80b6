import { createTokenProvider, type TokenProvider } from '@lacework-auth/core';
import type { Emulator } from '@lacework-auth/emulator';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { laceworkAuth, requireLacework } from '../../src/auth.js';
import { laceworkErrorHandler } from '../../src/error-handler.js';
import { laceworkProxy } from '../../src/proxy/proxy.js';
import { emulator, keyOptions, listen, rawRequest } from '../support/servers.js';
import { STUB_TOKEN, stubUpstream } from '../support/stub-upstream.js';

let emu: Emulator;
let provider: TokenProvider;
let server: Awaited<ReturnType<typeof listen>>;
const tokens = new Set<string>();

beforeAll(async () => {
  emu = await emulator();
  provider = createTokenProvider({ ...keyOptions(emu), retry: 0, timeout: 300 });
  const app = express();
  app.use(laceworkAuth({ tokenProvider: provider }));
  app.get('/me', async (req, res) => {
    res.json(await requireLacework(req).client.get('UserProfile').json());
  });
  app.use(
    '/lw',
    laceworkProxy({
      tokenProvider: provider,
      maxBodySize: 64,
      upstreamTimeout: 200,
      allow: ['Echo/**', 'UserProfile', 'CloudAccounts', 'GET Alerts'],
    }),
  );
  app.use(laceworkErrorHandler({ expose: true }));
  server = await listen(app);
});
afterAll(async () => {
  await server.close();
  await emu.close();
});

async function expectClean(target: string, init: Parameters<typeof rawRequest>[2] = {}) {
  const res = await rawRequest(server.port, target, init);
  // Every token this provider ever held, including ones refreshed during the request.
  await provider.getToken().then(
    ({ token }) => tokens.add(token),
    () => undefined,
  );
  for (const token of tokens) expect(res.raw, `${target} → ${res.status}`).not.toContain(token);
  expect(res.raw).not.toContain(emu.keys[0]?.secret ?? 'x');
  return res;
}

describe('the bearer token never appears in a response', () => {
  beforeAll(async () => {
    tokens.add((await provider.getToken()).token);
  });

  it('in answers, refusals and failures from the proxy and the middleware', async () => {
    const statuses: number[] = [];
    const run = async (target: string, init?: Parameters<typeof rawRequest>[2]) =>
      statuses.push((await expectClean(target, init)).status);

    await run('/me');
    await run('/lw/UserProfile');
    await run('/lw/Echo/x?y=1', {
      headers: { Authorization: 'Bearer client-token', Accept: 'application/json' },
    });
    await run('/lw/Echo/x', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{"a":1}',
    });
    await run('/lw/..%2fadmin');
    await run('/lw/AccessKeys');
    await run('/lw/Alerts', { method: 'DELETE' });
    await run('/lw/Echo/x', { method: 'POST', body: 'z'.repeat(100) });
    await run('/lw/UserProfile', { method: 'TRACE' });
    emu.inject({ route: '/api/v2/UserProfile', reset: true });
    await run('/lw/UserProfile');
    emu.inject({ route: '/api/v2/UserProfile', delayMs: 600 });
    await run('/lw/UserProfile');
    emu.inject({
      route: '/api/v2/CloudAccounts',
      status: 429,
      headers: { 'RateLimit-Reset': '5' },
    });
    await run('/lw/CloudAccounts');
    emu.revokeTokens();
    await run('/lw/UserProfile');
    // A token the provider got by itself (not one handed out after a refusal), revoked while
    // the token endpoint fails: the exchange is tried, fails, and answers 502.
    tokens.add((await provider.getToken({ forceRefresh: true })).token);
    emu.revokeTokens();
    emu.inject({ route: 'token', status: 401 });
    await run('/lw/UserProfile');
    emu.inject({ route: '/api/v2/UserProfile', status: 403, times: 2 });
    await run('/lw/UserProfile');
    emu.inject({ route: 'token', status: 401 });
    await provider.invalidate();
    await run('/me');
    expect(statuses).toEqual([
      200, 200, 200, 200, 400, 403, 405, 413, 405, 502, 504, 503, 200, 502, 403, 502,
    ]);
    expect(tokens.size).toBeGreaterThanOrEqual(3);
  });

  it('even when the upstream reflects the Authorization header in headers and body', async () => {
    const upstream = await stubUpstream((req, res) => {
      const auth = req.headers.authorization ?? '';
      res.setHeader('X-Echo-Authorization', auth);
      res.setHeader('Set-Cookie', `t=${auth.slice(7)}`);
      res.setHeader('Location', `https://evil.example/?t=${auth.slice(7)}`);
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify({ authorization: auth, again: [auth.slice(7), auth.slice(7)] }));
    });
    const proxy = await listen(
      express().use('/lw', laceworkProxy({ tokenProvider: upstream.provider })),
    );
    try {
      const res = await rawRequest(proxy.port, '/lw/Echo');
      expect(res.status).toBe(200);
      expect(upstream.seen[0]?.authorization).toBe(`Bearer ${STUB_TOKEN}`);
      expect(res.raw).not.toContain(STUB_TOKEN);
      expect(res.headers['x-echo-authorization']).toBeUndefined();
      expect(res.headers.location).toBeUndefined();
      expect(res.headers['set-cookie']).toBeUndefined();
      const masked = '*'.repeat(STUB_TOKEN.length);
      expect(JSON.parse(res.body)).toEqual({
        authorization: `Bearer ${masked}`,
        again: [masked, masked],
      });
    } finally {
      await proxy.close();
      await upstream.close();
    }
  });
});
