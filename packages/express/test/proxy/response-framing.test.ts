import express from 'express';
import { afterAll, describe, expect, it } from 'vitest';
import { laceworkProxy } from '../../src/proxy/proxy.js';
import { okResponse, rawExchange, sharedRawUpstream } from '../support/raw-http.js';
import { serveApp } from '../support/servers.js';
import { headerValue, parseResponses } from '../support/strict-http.js';

// The way back: whatever framing the upstream's answer has, the client must get exactly one
// well-framed response per request (read by the strict parser), and the next request on the
// proxy's pooled upstream connections must get its own answer, not leftovers of this one.

const upstream = await sharedRawUpstream();
const { port } = await serveApp(
  express().use(
    '/lw',
    laceworkProxy({ tokenProvider: upstream.provider, allow: ['**'], upstreamTimeout: 5000 }),
  ),
  afterAll,
);

const CASES: { name: string; method: string; answer: string; status: number; body?: string }[] = [
  {
    name: 'HEAD answered with a body',
    method: 'HEAD',
    answer: 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello',
    status: 200,
  },
  {
    name: '204 with Content-Length and a body',
    method: 'GET',
    answer: 'HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\nhello',
    status: 204,
  },
  {
    name: '304 with a body',
    method: 'GET',
    answer: 'HTTP/1.1 304 Not Modified\r\nContent-Length: 5\r\n\r\nhello',
    status: 304,
  },
  {
    name: 'chunked and Content-Length',
    method: 'GET',
    answer:
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n5\r\nhello\r\n0\r\n\r\n',
    status: 502,
  },
  {
    name: 'two Content-Lengths',
    method: 'GET',
    answer: 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!',
    status: 502,
  },
  {
    name: 'Transfer-Encoding: gzip, chunked',
    method: 'GET',
    answer: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n',
    status: 502,
  },
  {
    name: 'a body delimited by closing the connection',
    method: 'GET',
    answer: 'HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nhello',
    status: 200,
    body: 'hello',
  },
  {
    name: 'an interim 100 Continue first',
    method: 'GET',
    answer: 'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello',
    status: 200,
    body: 'hello',
  },
  {
    name: 'a second, unasked-for response after the first',
    method: 'GET',
    answer:
      'HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhelloHTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nevil',
    status: 200,
    body: 'hello',
  },
  {
    name: '101 Switching Protocols to a request that asked for no upgrade',
    method: 'GET',
    answer:
      'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\nraw',
    status: 502,
  },
];

describe('responses are relayed with framing the client cannot misread', () => {
  for (const c of CASES) {
    it(`${c.name}: ${c.status}, and the next request gets its own answer`, async () => {
      upstream.respondWith((request) => (request.target.endsWith('/first') ? c.answer : undefined));
      const first = `${c.method} /lw/Echo/first HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`;
      const { bytes, timedOut } = await rawExchange(port, first);
      expect(timedOut).toBe(false);
      const parsed = parseResponses(bytes, [c.method]);
      expect(parsed.error).toBeUndefined();
      expect(parsed.rest.length).toBe(0);
      expect(parsed.messages.map((m) => m.status)).toEqual([c.status]);
      const message = parsed.messages[0];
      if (c.body !== undefined) expect(message?.body.toString()).toBe(c.body);
      if (c.status === 204 && message)
        expect(headerValue(message, 'content-length')).toBeUndefined();
      if (c.status === 502) expect(message?.body.toString()).not.toContain('hello');

      // Several requests at once, so pooled upstream connections are reused.
      upstream.respondWith(okResponse);
      const next = Array.from({ length: 4 }, (_, i) =>
        rawExchange(port, `GET /lw/Echo/next${i} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`),
      );
      for (const { bytes: answer } of await Promise.all(next)) {
        const again = parseResponses(answer, ['GET']);
        expect(again.error).toBeUndefined();
        expect(again.messages.map((m) => [m.status, m.body.toString()])).toEqual([[200, 'ok']]);
      }
    });
  }
});
