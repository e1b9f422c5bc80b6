import net from 'node:net';
import express from 'express';
import { afterAll, describe, expect, it } from 'vitest';
import { laceworkProxy } from '../../src/proxy/proxy.js';
import { rawExchange, sharedRawUpstream } from '../support/raw-http.js';
import { serveApp } from '../support/servers.js';
import type { Message } from '../support/strict-http.js';
import { headerValue, parseRequests, parseResponses } from '../support/strict-http.js';

// Neighbours of request smuggling, each sent byte for byte to a real server with the proxy in
// front of a raw upstream that records (and strictly parses) everything it receives.

const upstream = await sharedRawUpstream();
const { port } = await serveApp(
  express().use(
    '/lw',
    laceworkProxy({
      tokenProvider: upstream.provider,
      allow: ['GET,POST Echo/**'],
      forwardHeaders: ['x-note'],
    }),
  ),
  afterAll,
);

const statuses = (bytes: Buffer, methods: string[]) => {
  const parsed = parseResponses(bytes, methods);
  expect(parsed.error).toBeUndefined();
  return parsed.messages.filter((m) => m.status >= 200).map((m) => m.status);
};

/** The upstream connections that hold the start of a request that never completed. */
const holdingPartialRequests = () =>
  upstream.connections.filter((c) => parseRequests(c.bytes).rest.length > 0);

describe('hostile requests around framing', () => {
  it('Expect: 100-continue: the body follows the interim answer, Expect is not forwarded', async () => {
    const answer = await new Promise<Buffer>((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1');
      const chunks: Buffer[] = [];
      socket.on('data', (chunk) => {
        chunks.push(chunk);
        if (chunk.toString('latin1').startsWith('HTTP/1.1 100')) socket.write('hello');
      });
      socket.on('close', () => resolve(Buffer.concat(chunks)));
      socket.on('error', reject);
      socket.write(
        'POST /lw/Echo/x HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5\r\nConnection: close\r\n\r\n',
      );
    });
    expect(statuses(answer, ['POST'])).toEqual([200]);
    expect(upstream.requests).toHaveLength(1);
    const forwarded = upstream.requests[0] as Message;
    expect(forwarded.body.toString()).toBe('hello');
    expect(headerValue(forwarded, 'expect')).toBeUndefined();
  });

  it('a refused request with Expect: 100-continue sends nothing upstream', async () => {
    const { bytes } = await rawExchange(
      port,
      'POST /lw/UserProfile HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello',
    );
    expect(statuses(bytes, ['POST'])).toEqual([403]);
    expect(upstream.received()).toBe(0);
  });

  it('chunk extensions and trailers stay behind: the upstream gets plain chunks', async () => {
    const { bytes } = await rawExchange(
      port,
      'POST /lw/Echo/x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n' +
        '5;ext="GET /x HTTP/1.1"\r\nhello\r\n0\r\nX-Trailer: evil\r\n\r\n',
    );
    expect(statuses(bytes, ['POST'])).toEqual([200]);
    expect(upstream.requests.map((r) => r.body.toString())).toEqual(['hello']);
  });

  for (const [name, head, partial] of [
    ['Content-Length', 'Content-Length: 100', 'x'.repeat(50)],
    ['chunked', 'Transfer-Encoding: chunked', `64\r\n${'x'.repeat(50)}`],
  ] as const) {
    it(`a client that disconnects mid-body (${name}) never leaves a complete request upstream`, async () => {
      const socket = net.connect(port, '127.0.0.1');
      await new Promise((resolve) => socket.once('connect', resolve));
      socket.write(`POST /lw/Echo/x HTTP/1.1\r\nHost: x\r\n${head}\r\n\r\n${partial}`);
      // Wait until the proxy has started streaming this body upstream, then vanish.
      while (upstream.received() === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      socket.destroy();
      const holders = holdingPartialRequests();
      expect(holders.length).toBeGreaterThan(0);
      // The proxy closes such a connection: the upstream can only see an incomplete request.
      await Promise.all(holders.map((c) => c.closed));
      expect(upstream.requests).toEqual([]);
    });
  }

  it('HTTP/1.0 without a length: no body, sent upstream with an explicit Content-Length: 0', async () => {
    const { bytes } = await rawExchange(port, 'POST /lw/Echo/x HTTP/1.0\r\nHost: x\r\n\r\n');
    expect(statuses(bytes, ['POST'])).toEqual([200]);
    expect(upstream.requests.map((r) => headerValue(r, 'content-length'))).toEqual(['0']);
  });

  it('a request refused for its framing closes the connection: nothing after it is read', async () => {
    const { bytes, timedOut } = await rawExchange(
      port,
      'GET /lw/Echo/x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n' +
        '5\r\nhello\r\n0\r\n\r\n' +
        'GET /lw/Echo/next HTTP/1.1\r\nHost: x\r\n\r\n',
    );
    expect(timedOut).toBe(false);
    expect(statuses(bytes, ['GET', 'GET'])).toEqual([400]);
    expect(upstream.received()).toBe(0);
  });

  it('a refused request with a body is answered without reading that body', async () => {
    const { bytes, timedOut } = await rawExchange(
      port,
      'POST /lw/UserProfile HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000000\r\n\r\nstart',
    );
    expect(timedOut).toBe(false);
    expect(statuses(bytes, ['POST'])).toEqual([403]);
  });

  it('a refused request in a pipeline does not disturb the next one', async () => {
    const { bytes } = await rawExchange(
      port,
      'GET /lw/UserProfile HTTP/1.1\r\nHost: x\r\n\r\n' +
        'GET /lw/Echo/ok HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
    );
    expect(statuses(bytes, ['GET', 'GET'])).toEqual([403, 200]);
    expect(upstream.requests.map((r) => r.target)).toEqual(['/api/v2/Echo/ok']);
  });
});

describe('hostile requests around routing and headers', () => {
  it('absolute-form targets are refused, whatever their host', async () => {
    for (const target of [
      `http://127.0.0.1:${upstream.port}/lw/Echo/x`,
      'http://evil.example/lw/Echo/x',
      'https://evil.example/lw/Echo/x',
    ]) {
      const { bytes } = await rawExchange(
        port,
        `GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
      );
      expect(statuses(bytes, ['GET']), target).toEqual([400]);
    }
    expect(upstream.received()).toBe(0);
  });

  it('Host and forwarding headers cannot steer the upstream request', async () => {
    const { bytes } = await rawExchange(
      port,
      'GET /lw/Echo/x HTTP/1.1\r\nHost: evil.example\r\nX-Forwarded-Host: evil.example\r\n' +
        'Forwarded: host=evil.example\r\nX-Original-URL: /api/v2/access/tokens\r\n' +
        'X-Rewrite-URL: /api/v2/access/tokens\r\nConnection: close\r\n\r\n',
    );
    expect(statuses(bytes, ['GET'])).toEqual([200]);
    const forwarded = upstream.requests[0] as Message;
    expect(forwarded.target).toBe('/api/v2/Echo/x');
    expect(headerValue(forwarded, 'host')).toBe(`127.0.0.1:${upstream.port}`);
    expect(forwarded.headers.map(([name]) => name.toLowerCase()).sort()).toEqual(
      ['accept-encoding', 'authorization', 'connection', 'host'].sort(),
    );
  });

  it("a client's Connection header cannot strip the proxy's own framing or credentials", async () => {
    for (const framing of [
      'Content-Length: 5\r\n\r\nhello',
      'Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n',
    ]) {
      upstream.reset();
      const { bytes } = await rawExchange(
        port,
        'POST /lw/Echo/x HTTP/1.1\r\nHost: x\r\n' +
          'Connection: close, Content-Length, Transfer-Encoding, Authorization, Host, Accept-Encoding, Account-Name\r\n' +
          framing,
      );
      expect(statuses(bytes, ['POST'])).toEqual([200]);
      expect(upstream.requests).toHaveLength(1);
      const forwarded = upstream.requests[0] as Message;
      expect(forwarded.body.toString()).toBe('hello');
      expect(forwarded.framing).not.toBe('none');
      expect(headerValue(forwarded, 'authorization')).toMatch(/^Bearer /);
      expect(headerValue(forwarded, 'host')).toBe(`127.0.0.1:${upstream.port}`);
      expect(headerValue(forwarded, 'accept-encoding')).toBe('identity');
      expect(headerValue(forwarded, 'connection')).toBe('keep-alive');
    }
  });

  it('CR, LF and NUL inside header values never reach the upstream as a header break', async () => {
    for (const value of ['a\rInjected: 1', 'a\nInjected: 1', 'a\0b']) {
      const { bytes } = await rawExchange(
        port,
        `GET /lw/Echo/x HTTP/1.1\r\nHost: x\r\nX-Note: ${value}\r\nConnection: close\r\n\r\n`,
      );
      expect(statuses(bytes, ['GET']), JSON.stringify(value)).toEqual([400]);
    }
    // Escaped CRLF is just text, forwarded as text in the one allowed header.
    await rawExchange(
      port,
      'GET /lw/Echo/x HTTP/1.1\r\nHost: x\r\nX-Note: a%0d%0aInjected: 1\r\nConnection: close\r\n\r\n',
    );
    const names = upstream.requests.flatMap((r) => r.headers.map(([name]) => name.toLowerCase()));
    expect(names).not.toContain('injected');
    expect(headerValue(upstream.requests[0] as Message, 'x-note')).toBe('a%0d%0aInjected: 1');
  });

  it('very long header sections are refused before anything is sent', async () => {
    const { bytes } = await rawExchange(
      port,
      `GET /lw/Echo/x HTTP/1.1\r\nHost: x\r\nX-Note: ${'a'.repeat(20_000)}\r\nConnection: close\r\n\r\n`,
    );
    expect([400, 431]).toContain(statuses(bytes, ['GET'])[0]);
    expect(upstream.received()).toBe(0);
  });

  it('CONNECT and TRACE never reach the upstream', async () => {
    const connect = await rawExchange(
      port,
      `CONNECT 127.0.0.1:${upstream.port} HTTP/1.1\r\nHost: 127.0.0.1:${upstream.port}\r\n\r\n`,
      { waitMs: 2000 },
    );
    expect(connect.bytes.toString('latin1')).not.toMatch(/^HTTP\/1\.1 200/);
    const trace = await rawExchange(
      port,
      'TRACE /lw/Echo/x HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
    );
    expect(statuses(trace.bytes, ['TRACE'])).toEqual([405]);
    expect(upstream.received()).toBe(0);
  });
});
