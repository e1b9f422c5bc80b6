import express from 'express';
import { afterAll, describe, expect, it } from 'vitest';
import { laceworkProxy } from '../../src/proxy/proxy.js';
import { rawExchange, sharedRawUpstream } from '../support/raw-http.js';
import { serveApp } from '../support/servers.js';
import type { Message } from '../support/strict-http.js';
import { headerValue, parseRequests, parseResponses } from '../support/strict-http.js';
import { STUB_TOKEN } from '../support/stub-upstream.js';

// Request smuggling at the byte level: hand-written requests from a raw socket, through a real
// Express server with laceworkProxy, to a raw TCP upstream that records every byte and reads it
// with a strict parser. Run against Node's default parser and against `insecureHTTPParser` (which
// lets ambiguous framing through to the app), so the proxy's own checks are exercised too.

const upstream = await sharedRawUpstream();
const proxyApp = () =>
  express().use('/lw', laceworkProxy({ tokenProvider: upstream.provider, allow: ['**'] }));
const servers: Record<string, { port: number }> = {
  strict: await serveApp(proxyApp(), afterAll),
  lenient: await serveApp(proxyApp(), afterAll, { insecureHTTPParser: true }),
};

const BODY_METHODS = ['POST', 'PUT', 'PATCH'];
const METHODS = ['GET', 'HEAD', 'OPTIONS', 'DELETE', ...BODY_METHODS];
const CLIENT_HEADERS = [
  'Host: evil.example',
  'Accept: */*',
  'User-Agent: raw',
  'X-Forwarded-Host: evil.example',
  'X-Extra: 1',
  'TE: trailers',
  'Keep-Alive: timeout=1',
];
/** The only header names the upstream may see: Node's, the proxy's, and allow-listed ones. */
const UPSTREAM_NAMES = new Set([
  'host',
  'connection',
  'authorization',
  'content-length',
  'transfer-encoding',
  'accept-encoding',
  'accept',
  'user-agent',
]);

const CHUNKED_HELLO = '5\r\nhello\r\n0\r\n\r\n';
const request = (method: string, framing: string[], body = '', version = '1.1', last = true) =>
  `${method} /lw/Echo/x HTTP/${version}\r\n${[...CLIENT_HEADERS, ...framing, ...(last ? ['Connection: close'] : [])].join('\r\n')}\r\n\r\n${body}`;

/** How a framing is expected to fare: forwarded with this body (`accept`), or refused. */
interface Case {
  name: string;
  build: (method: string) => string;
  /** `body`: accepted for POST/PUT/PATCH, refused for the others; `always`: accepted for all. */
  fate: 'always' | 'body' | 'refused';
  /**
   * Under `insecureHTTPParser`, Node may read the body differently from the header it reports
   * (a trailing tab after `chunked` makes it read to the end of the connection; an obs-fold line
   * is folded into the value). The proxy cannot see that; what must hold is that its own framing
   * upstream stays consistent: at most one upstream request, nothing that parses as a second.
   */
  lenientUnseen?: boolean;
  forwarded?: { body: string; framing: 'length' | 'chunked' };
  halfClose?: boolean;
}

/** A framing refused for every method: `framing` headers, then `body`. */
const refused = (name: string, framing: string[], body = '', more: Partial<Case> = {}): Case => ({
  name,
  build: (m) => request(m, framing, body),
  fate: 'refused',
  ...more,
});
/** A framing forwarded as `body` with `framing` for POST/PUT/PATCH, refused for the others. */
const forwarded = (
  name: string,
  build: Case['build'],
  body: string,
  framing: 'length' | 'chunked',
): Case => ({ name, build, fate: 'body', forwarded: { body, framing } });
const te = (value: string) => (m: string) =>
  request(m, [`Transfer-Encoding:${value}`], CHUNKED_HELLO);
const CASES: Case[] = [
  { name: 'no framing', build: (m) => request(m, []), fate: 'always' },
  { name: 'Content-Length: 0', build: (m) => request(m, ['Content-Length: 0']), fate: 'always' },
  forwarded(
    'Content-Length: 5',
    (m) => request(m, ['Content-Length: 5'], 'hello'),
    'hello',
    'length',
  ),
  forwarded('Transfer-Encoding: chunked', te(' chunked'), 'hello', 'chunked'),
  forwarded(
    'chunked, empty body',
    (m) => request(m, ['Transfer-Encoding: chunked'], '0\r\n\r\n'),
    '',
    'chunked',
  ),
  forwarded('Transfer-Encoding: CHUNKED', te(' CHUNKED'), 'hello', 'chunked'),
  forwarded('Transfer-Encoding:<tab>chunked', te('\tchunked'), 'hello', 'chunked'),
  refused(
    'Transfer-Encoding and Content-Length',
    ['Transfer-Encoding: chunked', 'Content-Length: 5'],
    CHUNKED_HELLO,
  ),
  refused(
    'Content-Length and Transfer-Encoding',
    ['Content-Length: 22', 'Transfer-Encoding: chunked'],
    CHUNKED_HELLO,
  ),
  refused('duplicate Content-Length (same)', ['Content-Length: 5', 'Content-Length: 5'], 'hello'),
  refused(
    'duplicate Content-Length (conflicting)',
    ['Content-Length: 5', 'Content-Length: 0'],
    'hello',
  ),
  refused('Content-Length list', ['Content-Length: 5, 5'], 'hello'),
  refused(
    'duplicate Transfer-Encoding',
    ['Transfer-Encoding: chunked', 'Transfer-Encoding: chunked'],
    CHUNKED_HELLO,
  ),
  { name: 'TE: chunked, chunked', build: te(' chunked, chunked'), fate: 'refused' },
  { name: 'TE: chunked, identity', build: te(' chunked, identity'), fate: 'refused' },
  { name: 'TE: identity, chunked', build: te(' identity, chunked'), fate: 'refused' },
  { name: 'TE: gzip, chunked', build: te(' gzip, chunked'), fate: 'refused' },
  { name: 'TE: xchunked', build: te(' xchunked'), fate: 'refused' },
  {
    name: 'TE: chunked<tab> (trailing)',
    build: te(' chunked\t'),
    fate: 'refused',
    lenientUnseen: true,
  },
  { name: 'TE: empty', build: te(''), fate: 'refused' },
  refused('TE name with a space', ['Transfer-Encoding : chunked'], CHUNKED_HELLO),
  refused('TE continued on an obs-fold line', ['Transfer-Encoding:', ' chunked'], CHUNKED_HELLO, {
    lenientUnseen: true,
  }),
  {
    name: 'Transfer-Encoding in HTTP/1.0',
    build: (m) => request(m, ['Transfer-Encoding: chunked'], CHUNKED_HELLO, '1.0'),
    fate: 'refused',
  },
  forwarded(
    'Content-Length shorter than the body (rest is a smuggled request)',
    (m) =>
      request(m, ['Content-Length: 5'], 'hello', '1.1', false) +
      `GET /lw/access/tokens HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
    'hello',
    'length',
  ),
  forwarded(
    'Upgrade with a body, then a smuggled request',
    (m) =>
      `${request(m, ['Connection: Upgrade', 'Upgrade: websocket', 'Content-Length: 5'], 'hello', '1.1', false)}GET /lw/Echo/smuggled HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
    'hello',
    'length',
  ),
  forwarded(
    "Connection naming Content-Length (the framing is the proxy's own)",
    (m) => request(m, ['Connection: content-length', 'Content-Length: 5'], 'hello'),
    'hello',
    'length',
  ),
  forwarded(
    'Content-Length with leading zeros',
    (m) => request(m, ['Content-Length: 0005'], 'hello'),
    'hello',
    'length',
  ),
  refused('Content-Length: +5', ['Content-Length: +5'], 'hello'),
  refused('Content-Length: 0x5', ['Content-Length: 0x5'], 'hello'),
  refused('Content-Length beyond 2^64', ['Content-Length: 99999999999999999999'], 'hello'),
  refused('Content-Length continued on an obs-fold line', ['Content-Length: 5', ' 0'], 'hello'),
  refused('Content-Length name with a space', ['Content-Length : 5'], 'hello'),
  refused(
    'chunk size overflowing 64 bits',
    ['Transfer-Encoding: chunked'],
    'ffffffffffffffff1\r\nhello\r\n0\r\n\r\n',
    { halfClose: true },
  ),
  refused(
    'chunk extension with a quoted CRLF',
    ['Transfer-Encoding: chunked'],
    '5;a="x\r\n0\r\n\r\nGET /lw/access/tokens HTTP/1.1"\r\nhello\r\n0\r\n\r\n',
    { halfClose: true },
  ),
  refused(
    'Transfer-Encoding and Content-Length in the trailer section',
    ['Transfer-Encoding: chunked'],
    '5\r\nhello\r\n0\r\nTransfer-Encoding: chunked\r\nContent-Length: 99\r\n\r\n',
    { lenientUnseen: true, halfClose: true },
  ),
  refused(
    'Content-Length longer than the body (client gives up)',
    ['Content-Length: 50'],
    'hello',
    { halfClose: true },
  ),
  refused(
    'chunked body cut short (client gives up)',
    ['Transfer-Encoding: chunked'],
    '5\r\nhello\r\n',
    { halfClose: true },
  ),
];

function expectProxyHeadersOnly(message: Message) {
  for (const [name] of message.headers) {
    expect(UPSTREAM_NAMES.has(name.toLowerCase()), `upstream got header ${name}`).toBe(true);
  }
  expect(headerValue(message, 'host')).toBe(`127.0.0.1:${upstream.port}`);
  expect(headerValue(message, 'authorization')).toBe(`Bearer ${STUB_TOKEN}`);
  expect(headerValue(message, 'connection')).toBe('keep-alive');
}

describe.each(['strict', 'lenient'])(
  'request framing (%s client parser)',
  { timeout: 20_000 },
  (mode) => {
    const port = () => servers[mode]?.port ?? 0;

    for (const c of CASES) {
      for (const method of METHODS) {
        const accepted =
          c.fate === 'always' || (c.fate === 'body' && BODY_METHODS.includes(method));
        if (mode === 'lenient' && c.lenientUnseen) {
          it(`${method}, ${c.name}: at most one upstream request, consistently framed`, async () => {
            const { timedOut } = await rawExchange(port(), c.build(method), { halfClose: true });
            expect(timedOut).toBe(false);
            expect(upstream.requests.length).toBeLessThanOrEqual(1);
            for (const r of upstream.requests) expectProxyHeadersOnly(r);
            for (const connection of upstream.connections) {
              expect(connection.error).toBeUndefined();
            }
          });
          continue;
        }
        it(`${method}, ${c.name}: ${accepted ? 'one upstream request' : 'refused, nothing upstream'}`, async () => {
          const sent = c.build(method);
          const { bytes, timedOut } = await rawExchange(port(), sent, { halfClose: c.halfClose });
          expect(timedOut).toBe(false);
          const answers = parseResponses(bytes, [method, 'GET']);
          expect(answers.error).toBeUndefined();
          const first = answers.messages[0];
          if (!accepted) {
            if (first !== undefined) expect(first.status).toBe(400);
            expect(upstream.requests).toEqual([]);
            // Nothing at all went upstream for a request refused before its body was read; a body
            // cut short may have started streaming, but never as a complete request.
            if (!c.halfClose) expect(upstream.received()).toBe(0);
            for (const connection of upstream.connections) {
              expect(connection.error).toBeUndefined();
            }
            return;
          }
          expect(first?.status).toBe(200);
          expect(upstream.requests).toHaveLength(1);
          const forwarded = upstream.requests[0] as Message;
          expect(forwarded.method).toBe(method);
          expect(forwarded.target).toBe('/api/v2/Echo/x');
          expectProxyHeadersOnly(forwarded);
          const length = headerValue(forwarded, 'content-length');
          const coding = headerValue(forwarded, 'transfer-encoding');
          if (!BODY_METHODS.includes(method)) {
            expect([length, coding]).toEqual([undefined, undefined]);
            expect(forwarded.body.length).toBe(0);
          } else if (c.forwarded === undefined) {
            expect([length, coding]).toEqual(['0', undefined]);
          } else {
            expect(forwarded.framing).toBe(c.forwarded.framing);
            expect(forwarded.body.toString()).toBe(c.forwarded.body);
            if (c.forwarded.framing === 'length')
              expect(length).toBe(String(c.forwarded.body.length));
          }
          // The smuggled token request after a short Content-Length is the client's next request
          // on its own connection: the proxy refuses it, and it never reaches the upstream.
          if (answers.messages.length > 1) expect(answers.messages[1]?.status).toBe(403);
        });
      }
    }

    it('pipelined requests: exactly one upstream request each, answered in order', async () => {
      const first = `POST /lw/Echo/a HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc`;
      const second = `GET /lw/Echo/b HTTP/1.1\r\nHost: x\r\n\r\n`;
      const third = `DELETE /lw/Echo/c HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`;
      const { bytes } = await rawExchange(port(), first + second + third);
      const answers = parseResponses(bytes, ['POST', 'GET', 'DELETE']);
      expect(answers.error).toBeUndefined();
      expect(answers.messages.map((m) => m.status)).toEqual([200, 200, 200]);
      expect(upstream.requests.map((r) => `${r.method} ${r.target} ${r.body}`).sort()).toEqual([
        'DELETE /api/v2/Echo/c ',
        'GET /api/v2/Echo/b ',
        'POST /api/v2/Echo/a abc',
      ]);
    });

    it('every byte the upstream ever received parses strictly; only a closed connection ends mid-request', () => {
      expect(upstream.connections.length).toBeGreaterThan(0);
      for (const connection of upstream.connections) {
        const parsed = parseRequests(connection.bytes);
        expect(parsed.error).toBeUndefined();
        expect(connection.error).toBeUndefined();
        if (parsed.rest.length > 0) expect(connection.open).toBe(false);
      }
    });
  },
);
