import { inspect } from 'node:util';
import { isLaceworkAuthError } from '@lacework-auth/core';
import type { Emulator } from '@lacework-auth/emulator';
import { sharedEmulator } from '@lacework-auth/test-kit/vitest';
import express, { type ErrorRequestHandler } from 'express';
import request from 'supertest';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { laceworkAuth, requireLacework } from '../src/auth.js';
import { laceworkErrorHandler } from '../src/error-handler.js';
import { LaceworkGatewayError } from '../src/gateway-error.js';
import { laceworkProxy } from '../src/proxy/proxy.js';
import type { LaceworkRequestContext } from '../src/request-context.js';
import { evilServer, keyOptions, listen } from './support/servers.js';

const emu = await sharedEmulator({ rateLimit: false });
// Each test gets its own configuration (a distinct expiryTime), so shared providers from earlier
// tests, which are the point of the registry, do not leak cached tokens into later ones.
let expiryTime = 600;
const options = (extra: Record<string, unknown> = {}) => ({
  ...keyOptions(emu),
  expiryTime: expiryTime,
  retry: 0,
  // Generous: calls expected to succeed must not time out on a loaded machine. The timeout test
  // sets its own short one.
  timeout: 5000,
  ...extra,
});

beforeEach(() => {
  expiryTime++;
});

/** Captures the error Express passes on, and answers with its status like http-errors handlers do. */
function capture() {
  const errors: unknown[] = [];
  const handler: ErrorRequestHandler = (err, _req, res, _next) => {
    errors.push(err);
    res
      .status((err as { status?: number }).status ?? 500)
      .json({ code: (err as { code?: string }).code });
  };
  return { errors, handler };
}

describe('laceworkAuth', () => {
  it('sets req.lacework with getToken(), client and baseUrl', async () => {
    const app = express();
    app.use(laceworkAuth(options()));
    app.get('/me', async (req, res) => {
      // The Request augmentation types req.lacework; requireLacework narrows it.
      const optional: LaceworkRequestContext | undefined = req.lacework;
      const lacework: LaceworkRequestContext = requireLacework(req);
      expect(optional).toBe(lacework);
      const { token, expiresAt } = await lacework.getToken();
      const profile = await lacework.client.get('UserProfile').json<{ data: unknown[] }>();
      res.json({
        valid: emu.isIssuedToken(token),
        future: expiresAt > new Date(),
        profile,
        baseUrl: lacework.baseUrl,
      });
    });
    const res = await request(app).get('/me').expect(200);
    expect(res.body).toMatchObject({ valid: true, future: true, baseUrl: emu.url });
    expect(res.body.profile).toHaveProperty('data');
  });

  it('is lazy: requests that never use Lacework cause no exchange', async () => {
    const app = express().use(laceworkAuth(options()));
    app.get('/health', (_req, res) => {
      res.send('ok');
    });
    for (let i = 0; i < 5; i++) await request(app).get('/health').expect(200);
    expect(emu.stats().requests).toBe(0);
  });

  it('shares one exchange between concurrent requests', async () => {
    const app = express().use(laceworkAuth(options()));
    app.get('/t', async (req, res) => {
      res.json({ token: (await requireLacework(req).getToken()).token.length > 0 });
    });
    const server = await listen(app);
    try {
      await Promise.all(
        Array.from({ length: 10 }, () => fetch(`${server.url}/t`).then((r) => r.json())),
      );
      expect(emu.stats().exchanges).toBe(1);
    } finally {
      await server.close();
    }
  });

  it('shares one provider between middleware instances with identical options, proxy included', async () => {
    const opts = options();
    const app = express();
    app.use('/a', laceworkAuth({ ...opts }));
    app.use('/b', laceworkAuth({ ...opts }));
    app.use('/lw', laceworkProxy({ ...opts }));
    app.get(['/a/t', '/b/t'], async (req, res) => {
      res.json({ token: (await requireLacework(req).getToken()).token.length });
    });
    await request(app).get('/a/t').expect(200);
    await request(app).get('/b/t').expect(200);
    await request(app).get('/lw/UserProfile').expect(200);
    expect(emu.stats().exchanges).toBe(1);
  });

  it('does not share a provider when the secret differs', async () => {
    const good = options();
    const app = express();
    app.use('/good', laceworkAuth(good));
    app.use('/bad', laceworkAuth({ ...good, secret: '_not-the-right-secret-value-000' }));
    const { errors, handler } = capture();
    app.get(['/good/t', '/bad/t'], async (req, res) => {
      res.json({ ok: (await requireLacework(req).getToken()).token.length > 0 });
    });
    app.use(handler);
    await request(app).get('/good/t').expect(200);
    await request(app).get('/bad/t').expect(502);
    expect(errors[0]).toMatchObject({ code: 'ERR_LW_KEY_REJECTED' });
  });

  it('uses a given tokenProvider as is', async () => {
    const { createTokenProvider } = await import('@lacework-auth/core');
    const provider = createTokenProvider(options());
    const { token } = await provider.getToken();
    const app = express().use(laceworkAuth({ tokenProvider: provider }));
    app.get('/t', async (req, res) => {
      res.json({ same: (await requireLacework(req).getToken()).token === token });
    });
    expect((await request(app).get('/t')).body).toEqual({ same: true });
    expect(emu.stats().exchanges).toBe(1);
  });
});

describe('laceworkAuth token errors reach next(err) with a gateway status', () => {
  it.each([
    [
      { route: 'token', status: 401, body: { message: 'bad key' } },
      502,
      'ERR_LW_KEY_REJECTED',
      401,
    ],
    [{ route: 'token', status: 403 }, 502, 'ERR_LW_KEY_REJECTED', 403],
    [{ route: 'token', malformed: true }, 502, 'ERR_LW_BAD_RESPONSE', 201],
    [{ route: 'token', status: 503 }, 502, 'ERR_LW_SERVER', 503],
    [{ route: 'token', reset: true }, 502, 'ERR_LW_NETWORK', undefined],
    [
      { route: 'token', status: 429, headers: { 'Retry-After': '30' } },
      503,
      'ERR_LW_RATE_LIMITED',
      429,
    ],
    [{ route: 'token', delayMs: 1000 }, 504, 'ERR_LW_TIMEOUT', undefined],
  ] as const)('lazy getToken() with %j → %i %s', async (fault, status, code, upstreamStatus) => {
    const app = express().use(
      laceworkAuth(options(code === 'ERR_LW_TIMEOUT' ? { timeout: 400 } : {})),
    );
    const { errors, handler } = capture();
    app.get('/t', async (req, res) => {
      await requireLacework(req).getToken();
      res.send('unreachable');
    });
    app.use(handler);
    emu.inject(fault as Parameters<Emulator['inject']>[0]);
    const res = await request(app).get('/t');
    expect(res.status).toBe(status);
    const err = errors[0] as LaceworkGatewayError;
    expect(err).toBeInstanceOf(LaceworkGatewayError);
    expect(isLaceworkAuthError(err, code)).toBe(true);
    expect(err.status).toBe(status);
    expect(err.statusCode).toBe(status);
    expect(err.upstreamStatus).toBe(upstreamStatus);
    if (status === 503) expect(err.headers).toEqual({ 'Retry-After': '30' });
    const secret = emu.keys[0]?.secret ?? '';
    for (const text of [
      err.message,
      err.stack ?? '',
      inspect(err, { depth: 5 }),
      JSON.stringify(err),
    ]) {
      expect(text).not.toContain(secret);
    }
  });

  it('eager mode exchanges before the route and sends failures to next(err)', async () => {
    const app = express().use(laceworkAuth(options({ eager: true })));
    const { errors, handler } = capture();
    let routeRan = false;
    app.get('/t', (_req, res) => {
      routeRan = true;
      res.send('ok');
    });
    app.use(handler);
    emu.inject({ route: 'token', status: 401 });
    await request(app).get('/t').expect(502);
    expect(routeRan).toBe(false);
    expect(errors[0]).toMatchObject({ code: 'ERR_LW_KEY_REJECTED', status: 502 });
    // A rejected key is not exchanged again for every request (core's backoff: 30 s at first).
    const tokenRequests = () =>
      emu.requests().filter((r) => r.path === '/api/v2/access/tokens').length;
    const before = tokenRequests();
    await request(app).get('/t').expect(502);
    expect(tokenRequests()).toBe(before);
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 31_000 });
    try {
      await request(app).get('/t').expect(200);
    } finally {
      vi.useRealTimers();
    }
    expect(routeRan).toBe(true);
    expect(emu.stats().exchanges).toBe(1);
  });

  it('client calls that fail for want of a token also carry the gateway status', async () => {
    const app = express().use(laceworkAuth(options()));
    const { errors, handler } = capture();
    app.get('/me', async (req, res) => {
      res.json(await requireLacework(req).client.get('UserProfile').json());
    });
    app.use(handler);
    emu.inject({ route: 'token', status: 401 });
    await request(app).get('/me').expect(502);
    expect(errors[0]).toMatchObject({ code: 'ERR_LW_KEY_REJECTED', status: 502 });
  });

  it("Express's default error handler answers with the gateway status", async () => {
    const app = express().use(laceworkAuth(options({ eager: true })));
    app.get('/t', (_req, res) => {
      res.send('ok');
    });
    emu.inject({ route: 'token', status: 429 });
    const res = await request(app).get('/t');
    expect(res.status).toBe(503);
    expect(res.text).not.toContain(emu.keys[0]?.secret ?? 'x');
  });

  it('laceworkErrorHandler answers JSON with a generic message (or the real one with expose)', async () => {
    for (const expose of [false, true]) {
      emu.resetRateLimit();
      const app = express().use(laceworkAuth(options({ eager: true })));
      app.get('/t', (_req, res) => {
        res.send('ok');
      });
      app.use(laceworkErrorHandler({ expose }));
      emu.inject({ route: 'token', status: 429, headers: { 'Retry-After': '7' } });
      const res = await request(app).get('/t');
      expect(res.status).toBe(503);
      expect(res.headers['retry-after']).toBe('7');
      expect(res.body.error.code).toBe('ERR_LW_RATE_LIMITED');
      if (expose) expect(res.body.error.message).toMatch(/429|rate/i);
      else expect(res.body.error.message).toBe('Lacework rate limit reached; try again later.');
      expiryTime++;
    }
  });

  it('laceworkErrorHandler maps API failures of client calls too', async () => {
    const app = express().use(laceworkAuth(options()));
    app.get('/missing', async (req, res) => {
      res.json(await requireLacework(req).client.get('NoSuchThing').json());
    });
    app.use(laceworkErrorHandler());
    const res = await request(app).get('/missing');
    expect(res.status).toBe(502);
    expect(res.body.error.code).toBe('ERR_LW_HTTP');
  });

  it('laceworkErrorHandler leaves other errors to the next handler', async () => {
    const app = express();
    app.get('/t', () => {
      throw new Error('not ours');
    });
    app.use(laceworkErrorHandler());
    app.use(((err, _req, res, _next) => {
      res.status(418).send((err as Error).message);
    }) as ErrorRequestHandler);
    const res = await request(app).get('/t');
    expect(res.status).toBe(418);
  });
});

describe('req.lacework.client with a path the request chose', () => {
  it('never sends the token to another origin, however the path is spelled', async () => {
    const evil = await evilServer();
    try {
      const app = express();
      app.use(laceworkAuth(options()));
      // A route that (unwisely) passes the client's input on as the API path.
      app.get('/api', async (req, res) => {
        try {
          const answer = await requireLacework(req).client.get(String(req.query.path), {
            throwHttpErrors: false,
          });
          res.json({ url: answer.url, status: answer.status });
        } catch (error) {
          res.status(400).json({ code: (error as { code?: string }).code ?? 'thrown' });
        }
      });
      for (const path of [
        `http://${evil.host}/x`,
        `//${evil.host}/x`,
        `@${evil.host}/x`,
        `http:${evil.host}/x`,
        `\\\\${evil.host}/x`,
        `../..//${evil.host}/x`,
        `%2e%2e%2f%2e%2e%2f${evil.host}`,
        `${evil.host}/x`,
      ]) {
        const res = await request(app).get('/api').query({ path });
        if (res.status === 200) expect(new URL(res.body.url).origin, path).toBe(emu.url);
      }
      expect(evil.connections()).toBe(0);
      expect(evil.seen).toEqual([]);
    } finally {
      await evil.close();
    }
  });
});

describe('requireLacework', () => {
  it('explains a missing laceworkAuth()', async () => {
    const app = express();
    const { errors, handler } = capture();
    app.get('/t', (req, res) => {
      res.json(requireLacework(req).baseUrl);
    });
    app.use(handler);
    await request(app).get('/t');
    expect((errors[0] as Error).message).toMatch(/mount laceworkAuth\(\)/);
  });
});

describe('laceworkAuth validates its options when created', () => {
  it.each([
    [{ eager: 'yes' }, '`eager`'],
    [{ expiryTime: 0 }, '`expiryTime`'],
    [{ keyID: 'x' }, 'keyID'],
  ])('%j', (extra, name) => {
    expect(() => laceworkAuth(options(extra))).toThrow(
      expect.objectContaining({ code: 'ERR_LW_INVALID_OPTION' }),
    );
    expect(() => laceworkAuth(options(extra))).toThrow(name);
  });

  it('fails at creation, not at the first request, when no key can be found', () => {
    expect(() => laceworkAuth({ env: {}, configFile: '/nonexistent/lacework.toml' })).toThrow(
      expect.objectContaining({ code: 'ERR_LW_MISSING_CREDENTIALS' }),
    );
    expect(() =>
      laceworkProxy({ env: {}, baseUrl: 'http://lacework.example', keyId: 'K', secret: '_s' }),
    ).toThrow(expect.objectContaining({ code: 'ERR_LW_INVALID_BASE_URL' }));
  });

  it('refuses non-object options', () => {
    expect(() => laceworkAuth('acme' as never)).toThrow(/`laceworkAuth` options must be an object/);
  });

  it('refuses a tokenProvider mixed with key options', () => {
    const provider = {
      getToken: async () => ({ token: 't', expiresAt: new Date() }),
      invalidate: async () => {},
      baseUrl: 'http://127.0.0.1:9',
    };
    expect(() => laceworkAuth({ tokenProvider: provider, secret: '_x' })).toThrow(
      /`tokenProvider` together with `secret`/,
    );
  });

  it('refuses something that is not a provider', () => {
    expect(() => laceworkAuth({ tokenProvider: { getToken: async () => ({}) } as never })).toThrow(
      /`tokenProvider` must be a provider/,
    );
  });
});
