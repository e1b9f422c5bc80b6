import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { createTokenProvider, type TokenProvider } from '@lacework-auth/core';
import { sharedEmulator } from '@lacework-auth/test-kit/vitest';
import express from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { laceworkProxy } from '../../src/proxy/proxy.js';
import { keyOptions, listen } from '../support/servers.js';

const emu = await sharedEmulator({ rateLimit: false });

async function setup(options: Parameters<typeof laceworkProxy>[0] = {}) {
  const provider: TokenProvider = createTokenProvider({ ...keyOptions(emu), retry: 0 });
  const first = (await provider.getToken()).token;
  const app = express().use(
    '/lw',
    laceworkProxy({ tokenProvider: provider, allow: ['**'], ...options }),
  );
  emu.resetStats();
  return { provider, first, app };
}

describe('laceworkProxy refreshes the token once on 401/403 from Lacework', () => {
  it('retries a GET with a new token after the old one was revoked (403)', async () => {
    const { app, provider, first } = await setup();
    emu.revokeTokens();
    const res = await request(app).get('/lw/UserProfile');
    expect(res.status).toBe(200);
    expect(emu.stats().exchanges).toBe(1);
    const calls = emu.requests().filter((r) => r.route === 'api');
    expect(calls.map((c) => c.status)).toEqual([403, 200]);
    const now = (await provider.getToken()).token;
    expect(now).not.toBe(first);
    expect(emu.isIssuedToken(now)).toBe(true);
  });

  it('retries on 401 too', async () => {
    const { app } = await setup();
    emu.inject({ route: '/api/v2/UserProfile', status: 401 });
    const res = await request(app).get('/lw/UserProfile');
    expect(res.status).toBe(200);
    expect(emu.stats().exchanges).toBe(1);
  });

  it('replays a POST body that was kept while streaming', async () => {
    const { app } = await setup();
    emu.inject({ route: '/api/v2/Echo', status: 401 });
    const res = await request(app)
      .post('/lw/Echo/search')
      .send({ filters: [{ field: 'a', value: 1 }] });
    expect(res.status).toBe(200);
    expect(res.body.body).toEqual({ filters: [{ field: 'a', value: 1 }] });
    expect(res.body.tokenValid).toBe(true);
    const echoes = emu.requests().filter((r) => r.route === 'echo');
    expect(echoes).toHaveLength(2);
    expect(emu.stats().exchanges).toBe(1);
  });

  it('replays a chunked body (no Content-Length) within the limit', async () => {
    const { app } = await setup();
    const server = await listen(app);
    try {
      emu.inject({ route: '/api/v2/Echo', status: 403 });
      const text = await new Promise<string>((resolve, reject) => {
        const req = http.request(`${server.url}/lw/Echo/chunked`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
        });
        req.on('response', (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => {
            body += c;
          });
          res.on('end', () => resolve(body));
        });
        req.on('error', reject);
        req.write('{"a":');
        setTimeout(() => req.end('[1,2,3]}'), 10);
      });
      expect(JSON.parse(text)).toMatchObject({ body: { a: [1, 2, 3] }, tokenValid: true });
    } finally {
      await server.close();
    }
  });

  it('refreshes only once: a second 403 is passed through, no loop', async () => {
    const { app } = await setup();
    emu.inject({
      route: '/api/v2/UserProfile',
      status: 403,
      body: { message: 'User not authorized.' },
      times: 5,
    });
    const res = await request(app).get('/lw/UserProfile');
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ message: 'User not authorized.' });
    expect(emu.requests().filter((r) => r.route === 'api')).toHaveLength(2);
    expect(emu.stats().exchanges).toBe(1);
  });

  it('does not exchange per request when Lacework keeps refusing a fresh token (permissions)', async () => {
    const { app } = await setup();
    emu.inject({
      route: '/api/v2/CloudAccounts',
      status: 403,
      body: { message: 'User not authorized.' },
      times: 20,
    });
    for (let i = 0; i < 5; i++) {
      const res = await request(app).get('/lw/CloudAccounts');
      expect(res.status).toBe(403);
    }
    // One refresh after the first refusal; the fresh token was refused too, so no more.
    expect(emu.stats().exchanges).toBe(1);
    expect(emu.requests().filter((r) => r.route === 'api')).toHaveLength(6);
    // Other routes keep working with that token.
    emu.clearFaults();
    await request(app).get('/lw/UserProfile').expect(200);
    expect(emu.stats().exchanges).toBe(1);
  });

  it('shares one exchange between concurrent requests rejected with the same token', async () => {
    const { app } = await setup();
    const server = await listen(app);
    try {
      emu.revokeTokens();
      const statuses = await Promise.all(
        Array.from({ length: 8 }, () =>
          fetch(`${server.url}/lw/UserProfile`).then((r) => r.status),
        ),
      );
      expect(statuses).toEqual(Array(8).fill(200));
      expect(emu.stats().exchanges).toBe(1);
    } finally {
      await server.close();
    }
  });

  it('does not replay a body too large to keep, but still gets a new token for the next request', async () => {
    const { app } = await setup({ maxBodySize: 4 * 1024 * 1024 });
    emu.revokeTokens();
    emu.inject({ route: '/api/v2/Echo', status: 401, body: { message: 'nope' } });
    const big = randomBytes(1024 * 1024 + 10).toString('hex');
    const res = await request(app).post('/lw/Echo/big').set('content-type', 'text/plain').send(big);
    expect(res.status).toBe(401);
    expect(emu.requests().filter((r) => r.route === 'echo')).toHaveLength(1);
    const next = await request(app).get('/lw/UserProfile');
    expect(next.status).toBe(200);
    expect(emu.stats().exchanges).toBe(1);
    // The refresh happened after the 401, so the next request's first attempt already worked.
    expect(
      emu
        .requests()
        .filter((r) => r.route === 'api')
        .map((r) => r.status),
    ).toEqual([200]);
  });

  it('answers 502 when the new token cannot be had', async () => {
    const { app } = await setup();
    emu.revokeTokens();
    emu.inject({ route: 'token', status: 401, body: { message: 'bad key' } });
    const res = await request(app).get('/lw/UserProfile');
    expect(res.status).toBe(502);
    expect(res.body.error.code).toBe('ERR_LW_KEY_REJECTED');
  });
});
