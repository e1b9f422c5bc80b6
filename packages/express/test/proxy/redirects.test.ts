import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { laceworkProxy } from '../../src/proxy/proxy.js';
import { relayedLocation } from '../../src/proxy/redirect.js';
import { rawExchange, rawUpstream } from '../support/raw-http.js';
import { closeServer, evilServer } from '../support/servers.js';
import { headerValue, parseResponses } from '../support/strict-http.js';

// A browser follows redirects by itself, `fetch` included. A redirect from Lacework relayed as is
// would make the app's page load another origin's answer as if it were Lacework's (the core
// client refuses to follow those, see core's same-origin redirects), or land on an unrelated
// route of the app. The proxy passes on only redirects within the API, rewritten to its mount
// point, so that following them comes back through the proxy and its checks.

let upstream: Awaited<ReturnType<typeof rawUpstream>>;
let evil: Awaited<ReturnType<typeof evilServer>>;
let server: http.Server;
let base: string;
let port: number;

beforeAll(async () => {
  upstream = await rawUpstream();
  evil = await evilServer();
  const app = express();
  const router = express.Router();
  router.use('/lw', laceworkProxy({ tokenProvider: upstream.provider, allow: ['**'] }));
  app.use('/app', router);
  server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;
});
afterAll(async () => {
  await closeServer(server);
  await evil.close();
  await upstream.close();
});
beforeEach(() => upstream.reset());

/** The upstream redirects `/first` to `location` and answers everything else with `ok`. */
function redirectFirstTo(location: string, status = 302) {
  upstream.respondWith((request) =>
    request.target.endsWith('/first')
      ? `HTTP/1.1 ${status} Found\r\nLocation: ${location}\r\nContent-Length: 0\r\n\r\n`
      : 'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nok',
  );
}

describe('redirects from Lacework', () => {
  it.each([
    ['absolute-path', (_: number) => '/api/v2/Echo/second?x=1'],
    ['absolute URL on the upstream', (p: number) => `http://127.0.0.1:${p}/api/v2/Echo/second?x=1`],
    ['relative', (_: number) => 'second?x=1'],
  ])(
    '%s target within the API: rewritten to the mount point, followed back through the proxy',
    async (_, location) => {
      redirectFirstTo(location(upstream.port), 307);
      const { bytes } = await rawExchange(
        port,
        'GET /app/lw/Echo/first HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
      );
      const [answer] = parseResponses(bytes, ['GET']).messages;
      expect(answer?.status).toBe(307);
      expect(answer && headerValue(answer, 'location')).toBe('/app/lw/Echo/second?x=1');

      const res = await fetch(`${base}/app/lw/Echo/first`);
      expect([res.status, await res.text()]).toEqual([200, 'ok']);
      expect(upstream.requests.map((r) => r.target)).toContain('/api/v2/Echo/second?x=1');
    },
  );

  it.each([
    ['another origin', () => `http://${evil.host}/api/v2/Echo/second`],
    ['a scheme-relative URL', () => `//${evil.host}/api/v2/Echo/second`],
    ['user info', (p: number) => `http://user@127.0.0.1:${p}/api/v2/Echo/second`],
    ['the upstream outside the API', () => '/elsewhere'],
    ['the token endpoint of another API version', () => '/api/v1/access/tokens'],
    ['another scheme', () => 'javascript:alert(1)'],
  ])('to %s: refused (502), and a browser following it reaches nothing', async (_, location) => {
    redirectFirstTo(location(upstream.port));
    const { bytes } = await rawExchange(
      port,
      'GET /app/lw/Echo/first HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
    );
    const parsed = parseResponses(bytes, ['GET']);
    expect(parsed.error).toBeUndefined();
    const [answer] = parsed.messages;
    expect(answer?.status).toBe(502);
    expect(answer && headerValue(answer, 'location')).toBeUndefined();

    const res = await fetch(`${base}/app/lw/Echo/first`);
    expect(res.status).toBe(502);
    expect(evil.connections()).toBe(0);
    expect(upstream.requests.map((r) => r.target)).toEqual([
      '/api/v2/Echo/first',
      '/api/v2/Echo/first',
    ]);
  });
});

describe('Location on answers that are not redirects', () => {
  it('is rewritten within the API and dropped otherwise; the answer itself passes', async () => {
    for (const [location, relayed] of [
      ['/api/v2/Echo/123', '/app/lw/Echo/123'],
      [`http://${evil.host}/x`, undefined],
    ] as const) {
      upstream.respondWith(
        () => `HTTP/1.1 201 Created\r\nLocation: ${location}\r\nContent-Length: 2\r\n\r\nok`,
      );
      const { bytes } = await rawExchange(
        port,
        'POST /app/lw/Echo HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n',
      );
      const [answer] = parseResponses(bytes, ['POST']).messages;
      expect(answer?.status).toBe(201);
      expect(answer && headerValue(answer, 'location')).toBe(relayed);
    }
  });
});

describe('relayedLocation', () => {
  const scope = {
    upstreamUrl: 'https://acme.lacework.net/base/api/v2/A/b?q=1',
    prefix: '/base/api/v2',
    mount: '/lw',
  };
  it('rewrites targets under the API prefix to the mount point, and nothing else', () => {
    expect(relayedLocation('c', scope)).toBe('/lw/A/c');
    expect(relayedLocation('../C?x', scope)).toBe('/lw/C?x');
    expect(relayedLocation('https://acme.lacework.net/base/api/v2/Z', scope)).toBe('/lw/Z');
    expect(relayedLocation('https://ACME.lacework.net:443/base/api/v2/Z', scope)).toBe('/lw/Z');
    for (const other of [
      '/api/v2/Z',
      '/base/api/v2',
      '/base/api/v20/Z',
      '../../../x',
      'http://acme.lacework.net/base/api/v2/Z',
      'https://acme.lacework.net.evil.example/base/api/v2/Z',
      'https://u:p@acme.lacework.net/base/api/v2/Z',
      'https://[::1]:99999/',
    ]) {
      expect(relayedLocation(other, scope), other).toBeUndefined();
    }
  });
});
