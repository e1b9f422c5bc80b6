import http from 'node:http';
import {
  createTokenProvider,
  type InvalidOptionError,
  type TokenProvider,
} from '@lacework-auth/core';
import { sharedEmulator } from '@lacework-auth/test-kit/vitest';
import express from 'express';
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { laceworkProxy } from '../../src/proxy/proxy.js';
import { keyOptions, listen } from '../support/servers.js';

const emu = await sharedEmulator({ rateLimit: false });
let provider: TokenProvider;

beforeAll(async () => {
  provider = createTokenProvider(keyOptions(emu));
  await provider.getToken();
});

const proxied = (options: Parameters<typeof laceworkProxy>[0] = {}) =>
  express().use('/lw', laceworkProxy({ tokenProvider: provider, allow: ['**'], ...options }));
const apiCalls = () => emu.requests().filter((r) => r.route !== 'token');

describe('allow-list', () => {
  const app = () =>
    proxied({
      allow: [
        'GET UserProfile',
        'POST Alerts/search',
        { method: ['GET', 'PUT'], path: /^Echo\/[a-z]+$/ },
      ],
    });

  it('forwards allowed routes', async () => {
    await request(app()).get('/lw/UserProfile').expect(200);
    await request(app()).head('/lw/Echo/abc').expect(200);
    await request(app()).put('/lw/Echo/abc').send({ a: 1 }).expect(200);
    expect(apiCalls()).toHaveLength(3);
    expect(apiCalls().map((r) => r.method)).toEqual(['GET', 'HEAD', 'PUT']);
  });

  it('refuses other paths with 403 JSON', async () => {
    for (const path of [
      '/lw/CloudAccounts',
      '/lw/Echo/ABC',
      '/lw/Echo/abc/def',
      '/lw/UserProfile/x',
    ]) {
      const res = await request(app()).get(path);
      expect(res.status, path).toBe(403);
      expect(res.body.error.code).toBe('ERR_LW_PROXY_FORBIDDEN');
    }
    expect(apiCalls()).toEqual([]);
  });

  it('refuses other methods on allowed paths with 405 JSON and Allow', async () => {
    const res = await request(app()).delete('/lw/UserProfile');
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('GET, HEAD');
    expect(res.body.error.code).toBe('ERR_LW_PROXY_METHOD_NOT_ALLOWED');
    expect(apiCalls()).toEqual([]);
  });

  it('matches decoded paths, so encoding a letter does not get around it', async () => {
    await request(app()).get('/lw/Echo/%61bc').expect(200);
    const res = await request(app()).get('/lw/%43loudAccounts');
    expect(res.status).toBe(403);
  });

  it('only reads by default: GET anywhere, POST to …/search, nothing that writes', async () => {
    const readOnly = () => express().use('/lw', laceworkProxy({ tokenProvider: provider }));
    await request(readOnly()).get('/lw/UserProfile').expect(200);
    await request(readOnly()).post('/lw/Alerts/search').send({}).expect(200);
    await request(readOnly()).post('/lw/Echo/a/search').send({}).expect(200);
    expect(apiCalls()).toHaveLength(3);
    for (const [method, path] of [
      ['post', '/lw/AccessKeys'],
      ['put', '/lw/Echo/x'],
      ['patch', '/lw/AlertRules/x'],
      ['delete', '/lw/CloudAccounts/x'],
      ['post', '/lw/Echo/search/x'],
    ] as const) {
      const req = request(readOnly())[method](path);
      const res = await (method === 'delete' ? req : req.send({}));
      expect(res.status, `${method} ${path}`).toBe(405);
      expect(res.body.error.code).toBe('ERR_LW_PROXY_METHOD_NOT_ALLOWED');
    }
    expect(apiCalls()).toHaveLength(3);
  });

  it('allows everything with ["**"]', async () => {
    const open = express().use('/lw', laceworkProxy({ tokenProvider: provider, allow: ['**'] }));
    await request(open).delete('/lw/Echo/x').expect(200);
    await request(open).post('/lw/Echo/x').send({ a: 1 }).expect(200);
  });

  it('never forwards TRACE or other unusual methods, even without an allow-list', async () => {
    const server = await listen(proxied());
    try {
      for (const method of ['TRACE', 'PROPFIND']) {
        const res = await fetch(`${server.url}/lw/UserProfile`, { method }).catch(() => undefined);
        // fetch refuses TRACE itself; use node:http for it.
        const status =
          res?.status ??
          (await new Promise<number>((resolve) => {
            http
              .request(`${server.url}/lw/UserProfile`, { method }, (r) =>
                resolve(r.statusCode ?? 0),
              )
              .end();
          }));
        expect(status, method).toBe(405);
      }
      expect(apiCalls()).toEqual([]);
    } finally {
      await server.close();
    }
  });

  it('never forwards to the token endpoint', async () => {
    const res = await request(proxied()).post('/lw/access/tokens').send({ keyId: 'x' });
    expect(res.status).toBe(403);
    expect(apiCalls()).toEqual([]);
  });
});

describe('maxBodySize', () => {
  it('refuses a declared Content-Length over the limit with 413 before contacting Lacework', async () => {
    const res = await request(proxied({ maxBodySize: 100 }))
      .post('/lw/Echo/x')
      .set('content-type', 'text/plain')
      .send('y'.repeat(101));
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('ERR_LW_PROXY_BODY_TOO_LARGE');
    expect(apiCalls()).toEqual([]);
  });

  it('accepts a body exactly at the limit', async () => {
    const res = await request(proxied({ maxBodySize: 100 }))
      .post('/lw/Echo/x')
      .set('content-type', 'text/plain')
      .send('y'.repeat(100));
    expect(res.status).toBe(200);
    expect(res.body.body).toBe('y'.repeat(100));
  });

  it('cuts a chunked body that grows over the limit and answers 413', async () => {
    const server = await listen(proxied({ maxBodySize: 1000 }));
    try {
      const result = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = http.request(`${server.url}/lw/Echo/chunks`, { method: 'POST' });
        req.on('response', (res) => {
          let body = '';
          res.on('data', (c: Buffer) => {
            body += c;
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        });
        req.on('error', reject);
        req.write('a'.repeat(600));
        setTimeout(() => req.end('b'.repeat(600)), 20);
      });
      expect(result.status).toBe(413);
      expect(JSON.parse(result.body).error.code).toBe('ERR_LW_PROXY_BODY_TOO_LARGE');
      // Lacework never got a complete request.
      expect(apiCalls().filter((r) => r.status === 200)).toEqual([]);
    } finally {
      await server.close();
    }
  });
});

describe('header and URL size limits', () => {
  it('refuses forwarded headers larger than maxHeaderSize with 400', async () => {
    const res = await request(proxied({ maxHeaderSize: 1024 }))
      .get('/lw/UserProfile')
      .set('User-Agent', 'u'.repeat(2000));
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('ERR_LW_PROXY_BAD_REQUEST');
    expect(apiCalls()).toEqual([]);
  });

  it('ignores large headers it would not forward anyway', async () => {
    await request(proxied({ maxHeaderSize: 1024 }))
      .get('/lw/UserProfile')
      .set('Cookie', `a=${'c'.repeat(4000)}`)
      .expect(200);
  });

  it('refuses URLs longer than maxUrlLength with 400', async () => {
    const res = await request(proxied({ maxUrlLength: 64 })).get(
      `/lw/UserProfile?q=${'x'.repeat(80)}`,
    );
    expect(res.status).toBe(400);
    expect(apiCalls()).toEqual([]);
  });
});

describe('misuse', () => {
  it('explains when a body parser already consumed the body', async () => {
    const app = express()
      .use(express.json())
      .use('/lw', laceworkProxy({ tokenProvider: provider, allow: ['**'] }));
    const res = await request(app).post('/lw/Echo/x').send({ a: 1 });
    expect(res.status).toBe(500);
    expect(res.body.error.code).toBe('ERR_LW_PROXY_BODY_CONSUMED');
  });
});

describe('laceworkProxy validates its options when created', () => {
  it.each([
    [{ maxBodySize: -1 }, '`maxBodySize`'],
    [{ maxBodySize: 1.5 }, '`maxBodySize`'],
    [{ maxUrlLength: 10 }, '`maxUrlLength`'],
    [{ maxHeaderSize: 'big' }, '`maxHeaderSize`'],
    [{ upstreamTimeout: 0 }, '`upstreamTimeout`'],
    [{ forwardHeaders: 'x-a' }, '`forwardHeaders`'],
    [{ forwardHeaders: ['authorization'] }, '`forwardHeaders`'],
    [{ allow: [{ path: 3 }] }, '`allow[0].path`'],
    [{ agent: {} }, '`agent`'],
    [{ onError: 'log' }, '`onError`'],
    [{ tokenProvider: {} }, '`tokenProvider`'],
    [{ tokenProvider: 'p' }, '`tokenProvider`'],
    [{ expiryTime: 90000 }, '`expiryTime`'],
    [
      { maxBodysize: 10 },
      '`laceworkProxy` got an unknown option `maxBodysize`. Did you mean `maxBodySize`?',
    ],
    [{ expirytime: 10 }, 'Did you mean `expiryTime`?'],
    [{ colour: 'blue' }, /Known options: allow, .*tokenProvider, account/],
  ])('%j', (options, name) => {
    const withKey = 'tokenProvider' in options ? options : { ...keyOptions(emu), ...options };
    expect(() => laceworkProxy(withKey as never)).toThrow(
      expect.objectContaining({ code: 'ERR_LW_INVALID_OPTION' }),
    );
    expect(() => laceworkProxy(withKey as never)).toThrow(name);
  });

  it('reports an unknown option in structured fields across our and core option names', () => {
    const caught = (options: object) => {
      try {
        laceworkProxy({ ...keyOptions(emu), ...options } as never);
      } catch (error) {
        return error as InvalidOptionError;
      }
      throw new Error('expected a throw');
    };
    expect(caught({ maxBodysize: 10 })).toMatchObject({
      option: 'maxBodysize',
      suggestion: 'maxBodySize',
    });
    expect(caught({ ExpiryTime: 10 })).toMatchObject({
      option: 'ExpiryTime',
      suggestion: 'expiryTime',
    });
    const unknown = caught({ colour: 'blue' });
    expect(unknown).toMatchObject({ option: 'colour', suggestion: undefined });
    expect(unknown.knownOptions).toEqual(expect.arrayContaining(['allow', 'expiryTime']));
    expect(caught({ expiryTime: 90_000 })).toMatchObject({
      option: 'expiryTime',
      knownOptions: undefined,
    });
  });

  it('refuses tokenProvider together with key options', () => {
    expect(() => laceworkProxy({ tokenProvider: provider, keyId: 'K' })).toThrow(
      /`tokenProvider`.*`keyId`/,
    );
  });

  it('accepts maxBodySize: Infinity', () => {
    expect(() =>
      laceworkProxy({ tokenProvider: provider, maxBodySize: Number.POSITIVE_INFINITY }),
    ).not.toThrow();
  });
});
