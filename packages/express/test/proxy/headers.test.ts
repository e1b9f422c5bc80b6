import { describe, expect, it } from 'vitest';
import {
  DEFAULT_FORWARDED_HEADERS,
  forwardedHeaderSet,
  selectRequestHeaders,
  selectResponseHeaders,
} from '../../src/proxy/headers.js';
import { TokenMask } from '../../src/proxy/mask.js';

describe('selectRequestHeaders', () => {
  const allowed = forwardedHeaderSet();

  it('forwards only allow-listed headers', () => {
    const out = selectRequestHeaders(
      {
        accept: 'application/json',
        'content-type': 'application/json',
        'content-length': '12',
        'user-agent': 'dashboard/1.0',
        authorization: 'Bearer client-token',
        cookie: 'session=abc',
        'x-lw-uaks': '_client-secret',
        host: 'dashboard.example',
        connection: 'keep-alive',
        'keep-alive': 'timeout=5',
        te: 'trailers',
        trailer: 'x-checksum',
        'transfer-encoding': 'chunked',
        upgrade: 'websocket',
        'proxy-authorization': 'Basic eA==',
        'proxy-connection': 'keep-alive',
        'account-name': 'other-tenant',
        'org-access': 'true',
        'x-forwarded-for': '10.0.0.1',
        'x-custom': 'nope',
      },
      allowed,
    );
    // Framing (`content-length`, `transfer-encoding`) is the proxy's own, never the client's.
    expect(out).toEqual({
      accept: 'application/json',
      'content-type': 'application/json',
      'user-agent': 'dashboard/1.0',
    });
  });

  it('drops headers that the client Connection header names as hop-by-hop', () => {
    const out = selectRequestHeaders(
      { accept: 'application/json', 'user-agent': 'x', connection: 'close, User-Agent' },
      allowed,
    );
    expect(out).toEqual({ accept: 'application/json' });
  });

  it('adds forwardHeaders entries case-insensitively', () => {
    const set = forwardedHeaderSet(['X-Request-Id']);
    expect(selectRequestHeaders({ 'x-request-id': 'r1', 'x-other': 'o' }, set)).toEqual({
      'x-request-id': 'r1',
    });
  });

  it.each([
    'Authorization',
    'cookie',
    'X-LW-UAKS',
    'host',
    'connection',
    'transfer-encoding',
    'proxy-foo',
    'account-name',
    'bad header',
    // Method and path overrides would get past the allow-list at servers that honour them.
    'X-HTTP-Method-Override',
    'x-http-method',
    'X-Method-Override',
    'X-Original-URL',
    'x-rewrite-url',
    'X-Forwarded-Prefix',
    'x-forwarded-port',
    // Lacework's own headers.
    'X-LW-Something',
    // A reflected token fetched in byte ranges would come out in pieces too short to mask.
    'Range',
    'if-range',
  ])('refuses forwardHeaders entry %s', (name) => {
    expect(() => forwardedHeaderSet([name])).toThrow(/`forwardHeaders`/);
  });

  it('returns undefined when forwarded headers exceed maxSize', () => {
    expect(selectRequestHeaders({ 'user-agent': 'x'.repeat(200) }, allowed, 100)).toBeUndefined();
    expect(selectRequestHeaders({ 'user-agent': 'x'.repeat(50) }, allowed, 100)).toEqual({
      'user-agent': 'x'.repeat(50),
    });
  });

  it('ignores oversized headers that are not forwarded', () => {
    expect(selectRequestHeaders({ cookie: 'x'.repeat(10_000) }, allowed, 100)).toEqual({});
  });

  it('has a documented default list', () => {
    expect(DEFAULT_FORWARDED_HEADERS).toContain('content-type');
    expect(DEFAULT_FORWARDED_HEADERS).not.toContain('authorization');
  });
});

describe('selectResponseHeaders', () => {
  // Kept: Lacework's rate-limit answer and Vary (raw name/value pairs, as Node gives them).
  const RATE_LIMIT = [
    'RateLimit-Limit',
    '480',
    'RateLimit-Remaining',
    '479',
    'RateLimit-Reset',
    '3600',
    'Retry-After',
    '30',
  ];
  const VARY = ['Vary', 'Accept', 'Vary', 'Origin'];

  it('drops hop-by-hop, Connection-listed and Set-Cookie headers, keeps the rest', () => {
    const out = selectResponseHeaders([
      'Content-Type',
      'application/json',
      'Connection',
      'keep-alive, X-Internal',
      'Keep-Alive',
      'timeout=5',
      'Transfer-Encoding',
      'chunked',
      'X-Internal',
      'debug',
      'Set-Cookie',
      'a=1',
      'set-cookie',
      'b=2',
      ...RATE_LIMIT,
      'Proxy-Authenticate',
      'Basic',
      'Upgrade',
      'h2c',
      'Trailer',
      'x',
      ...VARY,
    ]);
    expect(out).toEqual(['Content-Type', 'application/json', ...RATE_LIMIT, ...VARY]);
  });

  it('drops any header whose value contains the token', () => {
    const out = selectResponseHeaders(
      ['X-Echo', 'Bearer tok_123456', 'Content-Type', 'text/plain'],
      new TokenMask('tok_123456'),
    );
    expect(out).toEqual(['Content-Type', 'text/plain']);
  });
});
