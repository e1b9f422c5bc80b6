import { createTokenProvider, type TokenProvider } from '@lacework-auth/core';
import { startEmulator } from '@lacework-auth/emulator';
import { sharedEmulator } from '@lacework-auth/test-kit/vitest';
import express from 'express';
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { laceworkProxy } from '../../src/proxy/proxy.js';
import { keyOptions, listen, rawRequest } from '../support/servers.js';

const emu = await sharedEmulator({ rateLimit: false });
let provider: TokenProvider;
let app: express.Express;

beforeAll(async () => {
  provider = createTokenProvider(keyOptions(emu));
  app = express();
  app.use(
    '/lw',
    laceworkProxy({ tokenProvider: provider, forwardHeaders: ['X-Request-Id'], allow: ['**'] }),
  );
});

describe('laceworkProxy forwards P/<rest> to the base URL /api/v2/<rest>', () => {
  it('forwards a GET with the bearer token and answers with the upstream body', async () => {
    const res = await request(app).get('/lw/UserProfile').expect(200);
    expect(res.body).toHaveProperty('data');
    const [entry] = emu.requests().filter((r) => r.route === 'api');
    expect(entry?.path).toBe('/api/v2/UserProfile');
    expect(entry?.headers.authorization).toBe('Bearer [REDACTED]');
    expect(entry?.status).toBe(200);
  });

  it('forwards method, path and query unchanged', async () => {
    const res = await request(app).patch('/lw/Echo/a/b-c?x=1&y=two%20words').expect(200);
    expect(res.body).toMatchObject({
      method: 'PATCH',
      path: '/api/v2/Echo/a/b-c',
      query: { x: '1', y: 'two words' },
      tokenValid: true,
    });
  });

  it('forwards only safe headers and replaces the client credentials with the bearer token', async () => {
    const res = await request(app)
      .get('/lw/Echo/headers')
      .set('Accept', 'application/json')
      .set('User-Agent', 'dashboard/1.0')
      .set('Accept-Language', 'de')
      .set('X-Request-Id', 'req-1')
      .set('Authorization', 'Bearer client-own-token')
      .set('Cookie', 'session=abc')
      .set('X-LW-UAKS', '_client-secret')
      .set('Account-Name', 'someone-else')
      .set('Org-Access', 'true')
      .set('X-Forwarded-For', '10.1.2.3')
      .set('X-Custom', 'no')
      .set('Proxy-Authorization', 'Basic eA==')
      .expect(200);
    const headers = res.body.headers as Record<string, string>;
    expect(res.body.tokenValid).toBe(true);
    expect(headers.authorization).toBe('Bearer [REDACTED]');
    expect(headers.accept).toBe('application/json');
    expect(headers['user-agent']).toBe('dashboard/1.0');
    expect(headers['accept-language']).toBe('de');
    expect(headers['x-request-id']).toBe('req-1');
    expect(headers.host).toBe(new URL(emu.url).host);
    for (const name of [
      'cookie',
      'x-lw-uaks',
      'account-name',
      'org-access',
      'x-forwarded-for',
      'x-custom',
      'proxy-authorization',
    ]) {
      expect(headers, name).not.toHaveProperty(name);
    }
    // The client's own bearer token never reached Lacework: the emulator saw a valid token.
    const logged = emu.requests().find((r) => r.route === 'echo');
    expect(logged?.headers.cookie).toBeUndefined();
  });

  it('strips hop-by-hop headers and those named in Connection', async () => {
    const server = await listen(app);
    try {
      const res = await rawRequest(server.port, '/lw/Echo/hop', {
        headers: {
          Connection: 'User-Agent',
          'Keep-Alive': 'timeout=5',
          TE: 'trailers',
          Trailer: 'X-Sum',
          'Proxy-Connection': 'keep-alive',
          'User-Agent': 'listed-in-connection',
          Accept: 'application/json',
        },
      });
      expect(res.status).toBe(200);
      const headers = JSON.parse(res.body).headers as Record<string, string>;
      expect(headers.accept).toBe('application/json');
      for (const name of [
        'keep-alive',
        'te',
        'trailer',
        'upgrade',
        'proxy-connection',
        'user-agent',
      ]) {
        expect(headers, name).not.toHaveProperty(name);
      }
    } finally {
      await server.close();
    }
  });

  it('forwards JSON bodies for POST/PUT/PATCH', async () => {
    for (const method of ['post', 'put', 'patch'] as const) {
      const res = await request(app)[method]('/lw/Echo/body').send({ hello: method }).expect(200);
      expect(res.body.body).toEqual({ hello: method });
      expect(res.body.headers['content-type']).toMatch(/application\/json/);
    }
  });

  it('forwards the real Alerts search', async () => {
    // The last day: Lacework searches at most 7 days at a time, starting at most 92 days back.
    const endTime = new Date().toISOString();
    const startTime = new Date(Date.now() - 86_400_000).toISOString();
    const res = await request(app)
      .post('/lw/Alerts/search')
      .send({ timeFilter: { startTime, endTime } });
    expect(res.status).toBe(200);
    expect(res.body).toHaveProperty('data');
  });

  it('sends Account-Name and Org-Access from the provider configuration', async () => {
    const key = emu.keys[0];
    const sub = key?.subAccounts[0];
    const subProvider = createTokenProvider({
      ...keyOptions(emu),
      subAccount: sub,
      orgAccess: true,
    });
    const subApp = express().use('/lw', laceworkProxy({ tokenProvider: subProvider }));
    const res = await request(subApp)
      .get('/lw/Echo/sub')
      .set('Account-Name', 'spoofed')
      .expect(200);
    expect(res.body.headers['account-name']).toBe(sub);
    expect(res.body.headers['org-access']).toBe('true');
  });

  it('passes upstream status codes and rate-limit headers through, and drops Set-Cookie and hop-by-hop', async () => {
    emu.inject({
      route: '/api/v2/UserProfile',
      status: 400,
      body: { message: 'Too many requests' },
      headers: {
        'RateLimit-Limit': '480',
        'RateLimit-Remaining': '0',
        'RateLimit-Reset': '42',
        'Retry-After': '42',
        'Set-Cookie': 'lw=1; HttpOnly',
        'Keep-Alive': 'timeout=99',
        'X-Lw-Trace': 'abc',
      },
    });
    const res = await request(app).get('/lw/UserProfile');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ message: 'Too many requests' });
    expect(res.headers['ratelimit-limit']).toBe('480');
    expect(res.headers['ratelimit-remaining']).toBe('0');
    expect(res.headers['ratelimit-reset']).toBe('42');
    expect(res.headers['retry-after']).toBe('42');
    expect(res.headers['x-lw-trace']).toBe('abc');
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(res.headers['keep-alive']).not.toBe('timeout=99');
  });

  it('marks answers not storable by shared caches, whatever Lacework says', async () => {
    const res = await request(app).get('/lw/UserProfile').expect(200);
    expect(res.headers['cache-control']).toBe('no-store');
    for (const [sent, relayed] of [
      ['max-age=60', 'private, max-age=60'],
      ['public, max-age=60, s-maxage=600', 'private, max-age=60'],
      ['private, max-age=5', 'private, max-age=5'],
      ['public, no-store', 'no-store'],
    ]) {
      emu.inject({
        route: '/api/v2/UserProfile',
        status: 200,
        body: { data: [] },
        headers: { 'Cache-Control': sent as string, 'Surrogate-Control': 'max-age=600' },
      });
      const cached = await request(app).get('/lw/UserProfile').expect(200);
      expect(cached.headers['cache-control'], sent).toBe(relayed);
      expect(cached.headers['surrogate-control']).toBeUndefined();
    }
  });

  it('passes 404s and other upstream errors through unchanged', async () => {
    const res = await request(app).get('/lw/NoSuchThing');
    expect(res.status).toBe(404);
  });

  it('works when mounted inside a router at a nested path', async () => {
    const router = express.Router();
    router.use('/lacework', laceworkProxy({ tokenProvider: provider }));
    const nested = express().use('/api/v1', router);
    const res = await request(nested).get('/api/v1/lacework/Echo/nested?q=1').expect(200);
    expect(res.body).toMatchObject({ path: '/api/v2/Echo/nested', query: { q: '1' } });
  });

  it('answers HEAD without a body', async () => {
    const res = await request(app).head('/lw/Echo/head').expect(200);
    expect(res.text ?? '').toBe('');
  });
});

describe("laceworkProxy answers Lacework's rate limit as laceworkErrorHandler does", () => {
  it('forwards RateLimit-* on success; a 429 becomes 503 ERR_LW_RATE_LIMITED with Retry-After', async () => {
    const limited = await startEmulator({
      port: 0,
      rateLimit: { limit: 3, windowMs: 60_000 },
      retryAfter: true,
    });
    try {
      const limitedApp = express().use('/lw', laceworkProxy({ ...keyOptions(limited), retry: 0 }));
      // One exchange, then two API calls fit in a limit of 3.
      const ok = await request(limitedApp).get('/lw/UserProfile').expect(200);
      expect(ok.headers['ratelimit-limit']).toBe('3');
      expect(ok.headers['ratelimit-remaining']).toBe('1');
      expect(ok.headers['ratelimit-reset']).toMatch(/^\d+$/);
      await request(limitedApp).get('/lw/UserProfile').expect(200);
      const refused = await request(limitedApp).get('/lw/UserProfile');
      expect(refused.status).toBe(503);
      expect(refused.body).toEqual({
        error: {
          code: 'ERR_LW_RATE_LIMITED',
          message: 'Lacework rate limit reached; try again later.',
        },
      });
      expect(refused.headers['retry-after']).toMatch(/^[1-9]\d*$/);
      expect(limited.stats().rateLimited).toBe(1);
    } finally {
      await limited.close();
    }
  });
});
