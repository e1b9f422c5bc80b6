import type { TokenProvider } from '@lacework-auth/core';
import type { Emulator } from '@lacework-auth/emulator';
import { emulator } from '@lacework-auth/test-kit/vitest';
import type { NextFunction, Request, Response } from 'express';
import express from 'express';
import { describe, expect, it, onTestFinished } from 'vitest';
import { type LaceworkProxyOptions, laceworkProxy } from '../../src/proxy/proxy.js';
import { providerFor, serveApp } from '../support/servers.js';
import { STUB_TOKEN, stubUpstream } from '../support/stub-upstream.js';

/** The emulator with its rate limit on, far below what 100 uncoalesced requests would need. */
const limitedEmulator = () => emulator({ rateLimit: { limit: 50, windowMs: 60_000 } });

/** Holds requests until `count` have arrived, then lets them all on at once: truly concurrent. */
function barrier(count: number) {
  const waiting: NextFunction[] = [];
  return (_req: Request, _res: Response, next: NextFunction) => {
    waiting.push(next);
    if (waiting.length === count) for (const go of waiting.splice(0)) go();
  };
}

async function serve(
  tokenProvider: TokenProvider,
  concurrent: number,
  options: LaceworkProxyOptions = {},
) {
  const app = express();
  app.use('/lw', barrier(concurrent), laceworkProxy({ tokenProvider, allow: ['**'], ...options }));
  const server = await serveApp(app);
  return server.url;
}

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

async function get(url: string, init?: RequestInit): Promise<Answer> {
  const res = await fetch(url, init);
  const headers: Record<string, string> = {};
  res.headers.forEach((value, name) => {
    headers[name] = value;
  });
  return { status: res.status, headers, body: await res.text() };
}

const apiRequests = (emu: Emulator) => emu.requests().filter((entry) => entry.route === 'api');

describe('identical concurrent requests share one upstream call', () => {
  it('100 concurrent clients × the same GET → 1 upstream call, and every client gets the whole answer', async () => {
    const emu = await limitedEmulator();
    const provider = providerFor(emu);
    await provider.getToken();
    // A slow answer, as a real one can be: nobody may give up on it or start another.
    emu.inject({ route: '/api/v2/UserProfile', delayMs: 300 });
    const url = await serve(provider, 100);
    const answers = await Promise.all(
      Array.from({ length: 100 }, () => get(`${url}/lw/UserProfile?page=1`)),
    );
    expect(apiRequests(emu)).toHaveLength(1);
    expect(emu.stats()).toMatchObject({ apiCalls: 1, exchanges: 1, rateLimited: 0 });
    const [first] = answers;
    if (!first) throw new Error('no answer');
    expect(first.status).toBe(200);
    expect(JSON.parse(first.body).data[0].username).toMatch(/@/);
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(answer.body).toBe(first.body);
      expect(answer.headers['content-type']).toBe(first.headers['content-type']);
      expect(answer.headers['ratelimit-remaining']).toBe(first.headers['ratelimit-remaining']);
      expect(answer.headers['cache-control']).toBe('no-store');
    }
    const collapsed = answers.filter((a) => a.headers['cache-status']?.endsWith('; collapsed'));
    expect(collapsed).toHaveLength(99);
  });

  it('different routes, queries, methods and sub-accounts are never shared', async () => {
    const emu = await limitedEmulator();
    const provider = providerFor(emu);
    const sub = providerFor(emu, { subAccount: emu.keys[0]?.subAccounts[0] as string });
    const org = providerFor(emu, { orgAccess: true });
    await Promise.all([provider.getToken(), sub.getToken(), org.getToken()]);
    emu.inject({ route: 'api', delayMs: 200, times: Number.POSITIVE_INFINITY });
    // One app, three mounts: each proxy has its own provider, all of one key.
    const app = express();
    const hold = barrier(8);
    app.use('/lw', hold, laceworkProxy({ tokenProvider: provider, allow: ['**'] }));
    app.use('/sub', hold, laceworkProxy({ tokenProvider: sub, allow: ['**'] }));
    app.use('/org', hold, laceworkProxy({ tokenProvider: org, allow: ['**'] }));
    const server = await serveApp(app);
    const answers = await Promise.all([
      get(`${server.url}/lw/Echo/a?x=1`),
      get(`${server.url}/lw/Echo/a?x=1`),
      get(`${server.url}/lw/Echo/a?x=2`),
      get(`${server.url}/lw/Echo/b?x=1`),
      get(`${server.url}/lw/Echo/a?x=1`, { method: 'HEAD' }),
      get(`${server.url}/lw/Echo/a?x=1`, { headers: { accept: 'text/plain' } }),
      get(`${server.url}/sub/Echo/a?x=1`),
      get(`${server.url}/org/Echo/a?x=1`),
    ]);
    emu.clearFaults();
    // The first two shared; every other request had its own call.
    expect(emu.requests().filter((e) => e.route === 'echo')).toHaveLength(7);
    const [a, b, x2, other, head, text, viaSub, viaOrg] = answers.map((answer) =>
      answer.body === '' ? undefined : JSON.parse(answer.body),
    );
    expect(b).toEqual(a);
    expect(a).toMatchObject({ path: '/api/v2/Echo/a', query: { x: '1' } });
    expect(a.headers['account-name']).toBeUndefined();
    expect(x2.query).toEqual({ x: '2' });
    expect(other.path).toBe('/api/v2/Echo/b');
    expect(head).toBeUndefined();
    expect(text.headers.accept).toBe('text/plain');
    expect(viaSub.headers['account-name']).toBe(emu.keys[0]?.subAccounts[0]);
    expect(viaOrg.headers['org-access']).toBe('true');
    expect(viaOrg.headers['account-name']).toBeUndefined();
  });

  it('a token in the upstream body is masked before the answer is shared', async () => {
    const upstream = await stubUpstream((req, res) => {
      // A hostile upstream that reflects the credentials, slowly.
      setTimeout(() => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ echoed: req.headers.authorization }));
      }, 200);
    });
    onTestFinished(upstream.close);
    const url = await serve(upstream.provider, 20);
    const answers = await Promise.all(Array.from({ length: 20 }, () => get(`${url}/lw/Echo/x`)));
    expect(upstream.seen).toHaveLength(1);
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(answer.body).not.toContain(STUB_TOKEN);
      expect(JSON.parse(answer.body).echoed).toMatch(/^Bearer \*+$/);
    }
  });

  it('coalesce: false sends each request on its own', async () => {
    const emu = await limitedEmulator();
    const provider = providerFor(emu);
    await provider.getToken();
    const url = await serve(provider, 5, { coalesce: false });
    await Promise.all(Array.from({ length: 5 }, () => get(`${url}/lw/UserProfile`)));
    expect(apiRequests(emu)).toHaveLength(5);
  });

  it('an upstream failure reaches every client that shared the call', async () => {
    const emu = await limitedEmulator();
    const provider = providerFor(emu);
    await provider.getToken();
    emu.inject({
      route: '/api/v2/UserProfile',
      delayMs: 100,
      status: 500,
      body: { message: 'boom' },
    });
    const url = await serve(provider, 10);
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => get(`${url}/lw/UserProfile`)),
    );
    expect(apiRequests(emu)).toHaveLength(1);
    for (const answer of answers) {
      expect(answer.status).toBe(500);
      expect(JSON.parse(answer.body)).toEqual({ message: 'boom' });
    }
  });
});
