import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/http-server.js';
import { readHttpDataSource } from './data-source.js';

// Redirects as Go's http.Client follows them for hashicorp/http.

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function serve(respond: Parameters<typeof startTestServer>[0]) {
  const server = await startTestServer(respond);
  servers.push(server);
  return server;
}

describe('redirects', () => {
  it('turns a POST into a GET without body on 302, keeps both on 307', async () => {
    const server = await serve((req, res) => {
      if (req.path.startsWith('/from/')) {
        res.statusCode = Number(req.path.slice('/from/'.length));
        res.setHeader('location', '/to');
        res.end();
        return;
      }
      res.end(`${req.method} ${req.body}`);
    });
    for (const [status, answer] of [
      [302, 'GET '],
      [303, 'GET '],
      [307, 'POST {"a":1}'],
      [308, 'POST {"a":1}'],
    ] as const) {
      const { state } = await readHttpDataSource({
        url: `${server.url}/from/${status}`,
        method: 'POST',
        request_body: '{"a":1}',
      });
      expect([status, state?.response_body]).toEqual([status, answer]);
      // id stays the configured URL, as in the real provider.
      expect(state?.id).toBe(`${server.url}/from/${status}`);
    }
  });

  it('drops Authorization when the redirect leaves the host, keeps other headers', async () => {
    const target = await serve((req, res) => res.end(JSON.stringify(req.headers)));
    const origin = await serve((_req, res) => {
      res.statusCode = 302;
      // Same port space, different host name: 127.0.0.1 vs localhost.
      res.setHeader('location', target.url.replace('127.0.0.1', 'localhost'));
      res.end();
    });
    const { state } = await readHttpDataSource({
      url: origin.url,
      request_headers: { Authorization: 'Bearer x', 'X-Custom': 'kept' },
    });
    const headers = JSON.parse(state?.response_body);
    expect(headers.authorization).toBeUndefined();
    expect(headers['x-custom']).toBe('kept');
  });

  it('stops after 10 redirects, without retrying', async () => {
    const server = await serve((_req, res) => {
      res.statusCode = 302;
      res.setHeader('location', '/again');
      res.end();
    });
    const { diagnostics } = await readHttpDataSource({
      url: server.url,
      retry: { attempts: 3, min_delay_ms: 1, max_delay_ms: 1 },
    });
    expect(diagnostics[0]?.detail).toContain('stopped after 10 redirects');
    expect(server.requests).toHaveLength(10);
  });
});
