import { sharedEmulator } from '@lacework-auth/test-kit/vitest';
import express from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { laceworkProxy } from '../../src/proxy/proxy.js';
import { keyOptions } from '../support/servers.js';

const emu = await sharedEmulator({ rateLimit: false });
let expiryTime = 2000;

const options = () => ({ ...keyOptions(emu), retry: 0, expiryTime: expiryTime++ });

describe('laceworkProxy hooks (http-proxy-middleware names) and logger', () => {
  it('on.proxyReq can set a header on the request to Lacework; on.proxyRes sees the answer', async () => {
    const seen: string[] = [];
    const app = express().use(
      '/lw',
      laceworkProxy({
        ...options(),
        on: {
          proxyReq: (proxyReq, req) => {
            proxyReq.setHeader('X-Request-Id', 'r-1');
            seen.push(`req ${req.method} ${proxyReq.path}`);
          },
          proxyRes: (proxyRes, req) => seen.push(`res ${proxyRes.statusCode} ${req.url}`),
        },
      }),
    );
    const res = await request(app).get('/lw/Echo/hooks').expect(200);
    expect(res.body.headers['x-request-id']).toBe('r-1');
    expect(seen).toEqual(['req GET /api/v2/Echo/hooks', 'res 200 /Echo/hooks']);
  });

  it('on.error may answer itself; otherwise the proxy answers; logger gets one line, no token', async () => {
    const lines: string[] = [];
    const logger = { error: (line: string) => lines.push(line) };
    const answering = express();
    answering.set('env', 'development');
    answering.use(
      '/lw',
      laceworkProxy({
        ...options(),
        logger,
        on: {
          error: (error, _req, res) => {
            res.statusCode = 599;
            res.end(`custom ${(error as { code?: string }).code}`);
          },
        },
      }),
    );
    emu.inject({ route: 'token', status: 401 });
    const custom = await request(answering).get('/lw/UserProfile');
    expect(custom.status).toBe(599);
    expect(custom.text).toBe('custom ERR_LW_KEY_REJECTED');
    expect(lines).toEqual([
      expect.stringMatching(/^lacework-auth: GET \/lw\/UserProfile -> 502 ERR_LW_KEY_REJECTED: /),
    ]);

    const plain = express();
    plain.set('env', 'development');
    plain.use('/lw', laceworkProxy({ ...options(), logger, on: { error: () => {} } }));
    emu.inject({ route: '/api/v2/UserProfile', reset: true });
    const answered = await request(plain).get('/lw/UserProfile').expect(502);
    expect(answered.body.error.code).toBe('ERR_LW_NETWORK');
    expect(lines).toHaveLength(2);
    const secret = emu.keys[0]?.secret as string;
    for (const line of lines) expect(line).not.toContain(secret);
  });

  it('timeout is core’s name; upstreamTimeout is its deprecated alias', async () => {
    for (const option of [{ timeout: 1500 }, { upstreamTimeout: 1500 }]) {
      const app = express().use('/lw', laceworkProxy({ ...options(), ...option, logger: false }));
      emu.inject({ route: '/api/v2/UserProfile', delayMs: 4000 });
      const res = await request(app).get('/lw/UserProfile').expect(504);
      expect(res.body.error.message).toBe('Lacework did not answer within 1500 ms.');
    }
    expect(() => laceworkProxy({ ...options(), timeout: 1, upstreamTimeout: 1 })).toThrow(
      '`upstreamTimeout` is the deprecated name of `timeout`; give only `timeout`.',
    );
  });

  it('refuses hooks it does not know, suggesting the right name', () => {
    expect(() => laceworkProxy({ ...options(), on: { proxyres: () => {} } as never })).toThrow(
      '`on.proxyres` is not a proxy hook. Did you mean `on.proxyRes`?',
    );
    expect(() => laceworkProxy({ ...options(), on: { error: 1 } as never })).toThrow(
      '`on.error` must be a function.',
    );
  });
});
