import express from 'express';
import { afterAll, describe, expect, it } from 'vitest';
import { laceworkProxy } from '../../src/proxy/proxy.js';
import { rawExchange, sharedRawUpstream } from '../support/raw-http.js';
import { serveApp } from '../support/servers.js';
import { parseResponses } from '../support/strict-http.js';

// Every spelling of the token endpoint a lenient server, a framework's suffix matching or a
// normalising proxy might read as `/api/v2/access/tokens`. None may reach the upstream, with any
// method, even with an allow-list that allows everything.
const SPELLINGS = [
  '/lw/access/tokens',
  '/lw/access/tokens/',
  '/lw/access/tokens/x',
  '/lw/Access/Tokens',
  '/lw/ACCESS/TOKENS',
  '/lw/%61ccess/tokens',
  '/lw/acc%65ss/token%73',
  '/lw/%41CCESS/%54OKENS',
  '/lw/access/tokens%20',
  '/lw/access/tokens%09',
  '/lw/access/tokens%0a',
  '/lw/access/tokens%00',
  '/lw/access/tokens.',
  '/lw/access/tokens..',
  '/lw/access/tokens%2e',
  '/lw/access/tokens%2E',
  '/lw/access/tokens.json',
  '/lw/access/tokens~',
  '/lw/access/tokens%7e',
  '/lw/access/tokens!',
  '/lw/access/tokens;x',
  '/lw/access;x/tokens',
  '/lw/access/tokens%3b',
  '/lw/access/tokens%3f',
  '/lw/access/tokens%23',
  '/lw/access//tokens',
  '/lw/access/./tokens',
  '/lw/access/%2e/tokens',
  '/lw/x/../access/tokens',
  '/lw/x/%2e%2e/access/tokens',
  '/lw/access%2ftokens',
  '/lw/access%2Ftokens',
  '/lw/access%252ftokens',
  '/lw/access\\tokens',
  '/lw/access%5ctokens',
  '/lw/access/tokens%C5%BF',
  '/lw/access/t%D0%BEkens',
  '/lw/access/tokens%E2%80%8B',
  '/lw/access/tokens%EF%BC%8E',
  '/lw/access/tokens?x=1',
  '/lw/Echo/access/tokens',
  '/lw/UserProfile?next=/api/v2/access/tokens',
  '/lw/UserProfile?next=%2Fapi%2Fv2%2FAccess%2FTokens',
  '//lw/access/tokens',
  'http://evil.example/lw/access/tokens',
];
// Raw bytes Node's own parser refuses before the proxy runs: still nothing upstream.
const RAW_SPELLINGS = ['/lw/access/tok\u0435ns', '/lw/access/tokens\u00a0', '/lw/access/tokens\t'];
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

const upstream = await sharedRawUpstream();
const { port } = await serveApp(
  express().use('/lw', laceworkProxy({ tokenProvider: upstream.provider, allow: ['**'] })),
  afterAll,
);

describe('the token endpoint is never reached, however it is spelled', () => {
  it(`refuses ${SPELLINGS.length + RAW_SPELLINGS.length} spellings × ${METHODS.length} methods`, async () => {
    for (const target of [...SPELLINGS, ...RAW_SPELLINGS]) {
      for (const method of METHODS) {
        const body = ['POST', 'PUT', 'PATCH'].includes(method) ? '{"keyId":"x"}' : '';
        const head = `${method} ${target} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`;
        const { bytes } = await rawExchange(port, Buffer.from(head + body, 'utf8'));
        const [answer] = parseResponses(bytes, [method]).messages;
        const status = answer?.status ?? 0;
        expect([400, 403, 404], `${method} ${target} → ${status}`).toContain(status);
      }
    }
    expect(upstream.connections).toEqual([]);
    expect(upstream.exchanges()).toBe(0);
  });

  it('still forwards ordinary routes whose names merely resemble it', async () => {
    for (const target of ['/lw/AccessKeys', '/lw/access', '/lw/Echo/tokens', '/lw/accesstokens']) {
      const { bytes } = await rawExchange(
        port,
        `GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
      );
      expect(parseResponses(bytes, ['GET']).messages[0]?.status, target).toBe(200);
    }
  });
});
