import { createTokenProvider, type TokenProvider } from '@lacework-auth/core';
import type { Emulator } from '@lacework-auth/emulator';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { laceworkProxy } from '../../src/proxy/proxy.js';
import {
  emulator,
  evilServer,
  keyOptions,
  listen,
  type RawResponse,
  rawRequest,
} from '../support/servers.js';

let emu: Emulator;
let evil: Awaited<ReturnType<typeof evilServer>>;
let proxy: Awaited<ReturnType<typeof listen>>;
let provider: TokenProvider;
let token: string;

beforeAll(async () => {
  emu = await emulator();
  evil = await evilServer();
  provider = createTokenProvider(keyOptions(emu));
  token = (await provider.getToken()).token;
  const app = express();
  app.use('/lw', laceworkProxy({ tokenProvider: provider }));
  app.use((_req, res) => {
    res.status(404).json({ error: { code: 'NOT_FOUND', message: 'not the proxy' } });
  });
  proxy = await listen(app);
  emu.resetStats();
});
afterAll(async () => {
  await proxy.close();
  await evil.close();
  await emu.close();
});

type Case = {
  target: string;
  /** `rejected`: refused before anything reached Lacework; `contained`: forwarded, under /api/v2/. */
  outcome: 'rejected' | 'contained';
  method?: string;
  headers?: Record<string, string>;
};

function cases(): Case[] {
  const e = evil.host;
  const rejected = (target: string, extra: Partial<Case> = {}): Case => ({
    target,
    outcome: 'rejected',
    ...extra,
  });
  const contained = (target: string, extra: Partial<Case> = {}): Case => ({
    target,
    outcome: 'contained',
    ...extra,
  });
  return [
    rejected('/lw/..%2f..%2fadmin'),
    rejected('/lw/..%2F..%2Fadmin'),
    rejected('/lw/%2e%2e/x'),
    rejected('/lw/%2E%2E/%2E%2E/admin'),
    rejected('/lw/.%2e/.%2e/admin'),
    rejected('/lw/%2e%2e%2fadmin'),
    rejected('/lw/..'),
    rejected('/lw/../admin'),
    rejected('/lw/../../admin'),
    rejected('/lw/x/../../admin'),
    rejected('/lw/./UserProfile'),
    rejected('/lw/%252e%252e/'),
    rejected('/lw/%252e%252e%252fadmin'),
    rejected('/lw/%25252e%25252e/admin'),
    rejected('/lw//evil.example/x'),
    rejected(`/lw//${e}/x`),
    rejected(`/lw///${e}/x`),
    rejected(`/lw/%2f%2f${e}/x`),
    rejected(`/lw//%2f${e}`),
    rejected('/lw/http://evil/'),
    rejected(`/lw/http://${e}/`),
    rejected(`/lw/https://${e}/api/v2/UserProfile`),
    rejected(`/lw/http:%2f%2f${e}/`),
    rejected(`/lw/${e}/x`),
    rejected(`http://${e}/lw/UserProfile`),
    rejected(`http://${e}/lw//${e}/x`),
    rejected('/lw/\\evil'),
    rejected(`/lw/\\\\${e}\\x`),
    rejected('/lw/..%5cadmin'),
    rejected(`/lw/%5c%5c${e}`),
    rejected('/lw/..\\..\\admin'),
    rejected('/lw/@evil.com/'),
    rejected(`/lw/@${e}/`),
    rejected(`/lw/x@${e}`),
    rejected(`/lw/%40${e}`),
    rejected('/lw/UserProfile%0d%0aX: y'),
    rejected('/lw/UserProfile%0d%0aX:%20y'),
    rejected('/lw/UserProfile%0D%0ASet-Cookie:%20a=b'),
    rejected('/lw/UserProfile?x=%0d%0aHost:%20evil'),
    rejected('/lw/UserProfile%00'),
    rejected('/lw/UserProfile%00.json'),
    rejected('/lw/UserProfile%7f'),
    rejected('/lw/%c0%ae%c0%ae/admin'),
    rejected('/lw/%ef%bc%8e%ef%bc%8e/admin'),
    rejected('/lw/..;/admin'),
    rejected('/lw/UserProfile;a=b'),
    rejected(`/lw/x#@${e}`),
    rejected('/lw/%zz'),
    rejected(`/lw/${'a'.repeat(5000)}`),
    rejected(`/lw/UserProfile?${'q'.repeat(5000)}`),
    rejected('/lw/access/tokens', { method: 'POST' }),
    rejected('/lw/Access/Tokens', { method: 'POST' }),
    rejected('/lw/%61ccess/tokens', { method: 'POST' }),
    rejected('/lw/UserProfile', { method: 'TRACE' }),
    rejected('/lw/UserProfile', { headers: { 'User-Agent': 'x'.repeat(9000) } }),
    contained(`/lw/UserProfile?next=http://${e}/`),
    contained(`/lw/UserProfile?@${e}`),
    contained('/lw/UserProfile', { headers: { Host: e } }),
    contained('/lw/UserProfile', { headers: { 'X-Forwarded-Host': e, Forwarded: `host=${e}` } }),
    contained('/lw/Echo/%2E%2Ea'),
    contained('/lw/Echo/a..b/c'),
  ];
}

function isJsonError(res: RawResponse): boolean {
  try {
    const body = JSON.parse(res.body) as { error?: { code?: unknown; message?: unknown } };
    return typeof body.error?.code === 'string' && typeof body.error.message === 'string';
  } catch {
    return false;
  }
}

describe('hostile URLs never leave the base URL /api/v2/', () => {
  it('rejects or contains every hostile target, and only the emulator under /api/v2/ is reached', async () => {
    const list = cases();
    expect(list.length).toBeGreaterThanOrEqual(25);
    for (const c of list) {
      const before = emu.requests().length;
      const res = await rawRequest(proxy.port, c.target, { method: c.method, headers: c.headers });
      const reached = emu.requests().slice(before);
      const label = `${c.method ?? 'GET'} ${c.target.slice(0, 80)} → ${res.status}`;
      expect(res.raw, label).not.toContain(token);
      if (c.outcome === 'rejected') {
        expect(res.status, label).toBeGreaterThanOrEqual(400);
        expect(res.status, label).toBeLessThan(500);
        expect(reached, label).toEqual([]);
        // Node itself refuses request lines it cannot parse (raw spaces, CR/LF): no JSON then.
        if (res.headers['x-powered-by'] !== undefined) expect(isJsonError(res), label).toBe(true);
      } else {
        expect(reached.length, label).toBe(1);
      }
    }
    for (const entry of emu.requests()) {
      expect(entry.path.startsWith('/api/v2/'), entry.path).toBe(true);
      expect(entry.route, entry.path).not.toBe('token');
    }
    expect(evil.seen).toEqual([]);
    expect(evil.connections()).toBe(0);
  });

  it('answers 400 with a JSON error for the brief examples', async () => {
    for (const target of [
      '/lw/..%2f..%2fadmin',
      '/lw/%2e%2e/x',
      '/lw//evil.example/x',
      '/lw/%252e%252e/',
      '/lw/\\evil',
      '/lw/@evil.com/',
    ]) {
      const res = await rawRequest(proxy.port, target);
      expect(res.status, target).toBe(400);
      expect(JSON.parse(res.body).error.code, target).toBe('ERR_LW_PROXY_BAD_REQUEST');
      expect(res.headers['content-type']).toMatch(/^application\/json/);
    }
  });
});
