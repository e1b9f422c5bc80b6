import type { TokenProvider } from '@lacework-auth/core';
import type { Emulator } from '@lacework-auth/emulator';
import { emulator } from '@lacework-auth/test-kit/vitest';
import express from 'express';
import { afterEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import { type LaceworkProxyOptions, laceworkProxy } from '../../src/proxy/proxy.js';
import {
  type CachedResponse,
  memoryResponseCache,
  type ResponseCacheStore,
} from '../../src/proxy/response-cache.js';
import { providerFor, serveApp } from '../support/servers.js';
import { STUB_TOKEN, stubUpstream } from '../support/stub-upstream.js';

afterEach(() => {
  vi.useRealTimers();
});

const limitedEmulator = () => emulator({ rateLimit: { limit: 480, windowMs: 3_600_000 } });

async function serve(mounts: Record<string, [TokenProvider, LaceworkProxyOptions]>) {
  const app = express();
  for (const [path, [tokenProvider, options]] of Object.entries(mounts)) {
    app.use(path, laceworkProxy({ tokenProvider, allow: ['**'], ...options }));
  }
  const server = await serveApp(app);
  return server.url;
}

async function get(url: string, init?: RequestInit) {
  const res = await fetch(url, init);
  return { status: res.status, headers: res.headers, body: await res.text() };
}

const upstreamCalls = (emu: Emulator) =>
  emu.requests().filter((entry) => entry.route === 'api' || entry.route === 'echo').length;

/** A memory cache that also lets the test look at every entry it was given. */
function recordingStore(): ResponseCacheStore & { written: CachedResponse[] } {
  const inner = memoryResponseCache(100, 1024 * 1024);
  const written: CachedResponse[] = [];
  return {
    written,
    get: (key) => inner.get(key),
    set(key, value) {
      written.push(value);
      return inner.set(key, value);
    },
  };
}

describe('the response cache', () => {
  it('with a 10 s TTL, polling every second for 60 s makes 6 upstream calls', async () => {
    const emu = await limitedEmulator();
    const provider = providerFor(emu);
    await provider.getToken();
    const url = await serve({ '/lw': [provider, { cache: { ttl: 10_000 } }] });
    // Only the clock is fake; sockets and timers are real.
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
    const start = Date.now();
    const ages: string[] = [];
    for (let second = 0; second < 60; second++) {
      vi.setSystemTime(start + second * 1000);
      const res = await get(`${url}/lw/UserProfile`);
      expect(res.status).toBe(200);
      expect(JSON.parse(res.body).data).toHaveLength(1);
      ages.push(res.headers.get('age') ?? '-');
      if (second === 7) {
        expect(res.headers.get('cache-control')).toBe('private, max-age=3');
        expect(res.headers.get('cache-status')).toBe('lacework-proxy; hit; ttl=3');
      }
      if (second === 10) {
        expect(res.headers.get('cache-control')).toBe('private, max-age=10');
        expect(res.headers.get('cache-status')).toBe('lacework-proxy; fwd=uri-miss');
      }
    }
    expect(upstreamCalls(emu)).toBe(6);
    expect(emu.stats().rateLimited).toBe(0);
    expect(ages.slice(0, 11)).toEqual(['-', '1', '2', '3', '4', '5', '6', '7', '8', '9', '-']);
  });

  it('caches only 200 answers to GET: errors, HEAD and searches go upstream every time', async () => {
    const emu = await limitedEmulator();
    const provider = providerFor(emu);
    await provider.getToken();
    const url = await serve({ '/lw': [provider, { cache: { ttl: 60_000 } }] });
    for (let i = 0; i < 2; i++) {
      expect((await get(`${url}/lw/NoSuchThing`)).status).toBe(404);
      expect((await get(`${url}/lw/Echo/head`, { method: 'HEAD' })).status).toBe(200);
      const endTime = new Date().toISOString();
      const startTime = new Date(Date.now() - 3_600_000).toISOString();
      const search = await get(`${url}/lw/Alerts/search`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ timeFilter: { startTime, endTime } }),
      });
      expect(search.status).toBeLessThan(300);
    }
    emu.inject({ route: '/api/v2/UserProfile', status: 500, body: { message: 'boom' } });
    expect((await get(`${url}/lw/UserProfile`)).status).toBe(500);
    expect((await get(`${url}/lw/UserProfile`)).status).toBe(200);
    expect(
      emu.requests().filter((e) => e.route !== 'token' && e.path !== '/api/v2/UserProfile'),
    ).toHaveLength(6);
    // The 500 was not kept; the 200 after it was fetched.
    expect(emu.requests().filter((e) => e.path === '/api/v2/UserProfile')).toHaveLength(2);
  });

  it('never mixes routes, queries, sub-accounts or org access, even in one shared store', async () => {
    const emu = await limitedEmulator();
    const subAccount = emu.keys[0]?.subAccounts[0] as string;
    const store = recordingStore();
    const cache = { ttl: 60_000, store };
    const url = await serve({
      '/main': [providerFor(emu), { cache }],
      '/sub': [providerFor(emu, { subAccount }), { cache }],
      '/org': [providerFor(emu, { orgAccess: true }), { cache }],
    });
    const paths = [
      '/main/Echo/a',
      '/main/Echo/a?x=1',
      '/main/Echo/b',
      '/sub/Echo/a',
      '/org/Echo/a',
    ];
    const first = [];
    for (const path of paths) first.push(JSON.parse((await get(url + path)).body));
    // Each a miss: five upstream calls, five entries.
    expect(emu.requests().filter((e) => e.route === 'echo')).toHaveLength(5);
    expect(store.written).toHaveLength(5);
    // Asked again: each from its own entry.
    for (const [i, path] of paths.entries()) {
      const again = await get(url + path);
      expect(again.headers.get('cache-status')).toMatch(/; hit;/);
      expect(JSON.parse(again.body)).toEqual(first[i]);
    }
    expect(emu.requests().filter((e) => e.route === 'echo')).toHaveLength(5);
    const [main, query, other, sub, org] = first;
    expect(main).toMatchObject({ path: '/api/v2/Echo/a', query: {} });
    expect(main.headers['account-name']).toBeUndefined();
    expect(query.query).toEqual({ x: '1' });
    expect(other.path).toBe('/api/v2/Echo/b');
    expect(sub.headers['account-name']).toBe(subAccount);
    expect(org.headers['org-access']).toBe('true');
    expect(org.headers['account-name']).toBeUndefined();
  });

  it('Cache-Control: no-cache from the client fetches a fresh answer, which refreshes the cache', async () => {
    const emu = await limitedEmulator();
    const provider = providerFor(emu);
    const url = await serve({ '/lw': [provider, { cache: { ttl: 60_000 } }] });
    await get(`${url}/lw/Echo/x`);
    await get(`${url}/lw/Echo/x`);
    expect(upstreamCalls(emu)).toBe(1);
    const asks: Record<string, string>[] = [
      { 'cache-control': 'no-cache' },
      { pragma: 'no-cache' },
    ];
    for (const headers of asks) {
      const fresh = await get(`${url}/lw/Echo/x`, { headers });
      expect(fresh.headers.get('cache-status')).toBe('lacework-proxy; fwd=request');
      expect(fresh.headers.get('age')).toBeNull();
    }
    expect(upstreamCalls(emu)).toBe(3);
    const after = await get(`${url}/lw/Echo/x`);
    expect(after.headers.get('age')).toBe('0');
    expect(upstreamCalls(emu)).toBe(3);
  });

  it('never keeps an answer that carried the token (masked for the client, not stored)', async () => {
    const upstream = await stubUpstream((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ echoed: req.headers.authorization, ok: true }));
    });
    onTestFinished(upstream.close);
    const store = recordingStore();
    const url = await serve({ '/lw': [upstream.provider, { cache: { ttl: 60_000, store } }] });
    for (let i = 0; i < 3; i++) {
      const res = await get(`${url}/lw/Echo/leak`);
      expect(res.status).toBe(200);
      expect(res.body).not.toContain(STUB_TOKEN);
    }
    expect(upstream.seen).toHaveLength(3);
    expect(store.written).toHaveLength(0);
  });

  it('no stored entry ever holds the token, in headers or body', async () => {
    const emu = await limitedEmulator();
    const provider = providerFor(emu);
    const store = recordingStore();
    const url = await serve({ '/lw': [provider, { cache: { ttl: 60_000, store } }] });
    for (const path of ['UserProfile', 'Echo/headers', 'CloudAccounts', 'Alerts']) {
      await get(`${url}/lw/${path}`);
    }
    const { token } = await provider.getToken();
    expect(store.written.length).toBeGreaterThanOrEqual(3);
    for (const entry of store.written) {
      expect(Buffer.from(entry.body).toString('latin1')).not.toContain(token);
      expect(entry.headers.join('\n')).not.toContain(token);
    }
  });

  it('respects Lacework’s own Cache-Control: no-store is not kept, max-age caps the TTL', async () => {
    const emu = await limitedEmulator();
    const provider = providerFor(emu);
    const url = await serve({ '/lw': [provider, { cache: { ttl: 60_000 } }] });
    emu.inject({
      route: '/api/v2/Echo/nostore',
      status: 200,
      body: { data: [] },
      headers: { 'Cache-Control': 'no-store' },
      times: 2,
    });
    await get(`${url}/lw/Echo/nostore`);
    await get(`${url}/lw/Echo/nostore`);
    expect(emu.requests().filter((e) => e.path === '/api/v2/Echo/nostore')).toHaveLength(2);
    emu.inject({
      route: '/api/v2/Echo/short',
      status: 200,
      body: { data: [] },
      headers: { 'Cache-Control': 'max-age=5' },
    });
    const short = await get(`${url}/lw/Echo/short`);
    expect(short.headers.get('cache-control')).toBe('private, max-age=5');
  });

  it('is bounded in entries and bytes, least recently used first', () => {
    const entry = (size: number): CachedResponse => ({
      status: 200,
      headers: [],
      body: Buffer.alloc(size),
      storedAt: Date.now(),
      expiresAt: Date.now() + 60_000,
    });
    const byCount = memoryResponseCache(2, 1_000_000);
    byCount.set('a', entry(10));
    byCount.set('b', entry(10));
    byCount.get('a'); // a is now the most recently used
    byCount.set('c', entry(10));
    expect([byCount.get('a'), byCount.get('b'), byCount.get('c')].map(Boolean)).toEqual([
      true,
      false,
      true,
    ]);
    const bySize = memoryResponseCache(100, 2048);
    bySize.set('a', entry(1000));
    bySize.set('b', entry(1000));
    bySize.set('c', entry(1000));
    bySize.set('huge', entry(4096));
    expect(
      [bySize.get('a'), bySize.get('b'), bySize.get('c'), bySize.get('huge')].map(Boolean),
    ).toEqual([false, true, true, false]);
  });

  it('refuses bad cache options by name', () => {
    expect(() => laceworkProxy({ cache: {} as never })).toThrow(/`cache.ttl` is required/);
    expect(() => laceworkProxy({ cache: { ttl: 0 } })).toThrow(/`cache.ttl`/);
    expect(() => laceworkProxy({ cache: { ttl: 1000, maxEntries: -1 } })).toThrow(
      /`cache.maxEntries`/,
    );
    expect(() => laceworkProxy({ cache: { ttl: 1000, store: {} as never } })).toThrow(
      /`cache.store`/,
    );
    expect(() => laceworkProxy({ cache: { ttl: 1000, tll: 1 } as never })).toThrow(/unknown field/);
  });
});
