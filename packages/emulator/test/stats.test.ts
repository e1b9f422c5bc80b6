import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { RequestLogEntry } from '../src/stats.js';
import { api, CANARY_KEY_ID, CANARY_SECRET, emulator, exchange, token } from './support/helpers.js';

describe('stats and request log', () => {
  it('counts exchanges, API calls, rejections, rate-limited and faulted requests', async () => {
    const emu = await emulator({ rateLimit: { limit: 4, windowMs: 60_000 } });
    const tok = await token(emu);
    await api(emu, '/api/v2/UserProfile', tok);
    await exchange(emu, { expiryTime: 0 });
    emu.inject({ route: 'api', status: 500 });
    await api(emu, '/api/v2/UserProfile', tok);
    await api(emu, '/api/v2/UserProfile', tok);
    await api(emu, '/api/v2/UserProfile', tok);
    expect(emu.stats()).toEqual({
      requests: 6,
      exchanges: 1,
      apiCalls: 2,
      rejected: 1,
      rateLimited: 1,
      faulted: 1,
    });
    emu.resetStats();
    expect(emu.stats()).toEqual({
      requests: 0,
      exchanges: 0,
      apiCalls: 0,
      rejected: 0,
      rateLimited: 0,
      faulted: 0,
    });
    expect(emu.requests()).toEqual([]);
  });

  it('logs method, path, query, status, key and account with secrets and tokens redacted', async () => {
    const emu = await emulator({ keys: [{ keyId: CANARY_KEY_ID, secret: CANARY_SECRET }] });
    const seen: RequestLogEntry[] = [];
    const emu2 = await emulator({ onRequest: (e) => seen.push(e) });
    const tok = await token(emu, 60);
    await api(emu, `/api/v2/CloudAccounts?x=1&token=${tok}`, tok, {
      headers: { 'Account-Name': 'emulator-sub' },
    });
    await fetch(`${emu.url}/api/v2/Echo`, { headers: { Authorization: tok } });
    await exchange(emu, { body: JSON.stringify({ keyId: CANARY_KEY_ID, secret: CANARY_SECRET }) });
    const log = emu.requests();
    const [first, second, third, fourth] = log;
    expect(first).toMatchObject({
      method: 'POST',
      path: '/api/v2/access/tokens',
      route: 'token',
      status: 201,
      keyId: CANARY_KEY_ID,
      account: 'emulator',
      body: { keyId: CANARY_KEY_ID, expiryTime: 60 },
      fault: false,
    });
    expect(first?.headers['x-lw-uaks']).toBe('[REDACTED]');
    expect(second).toMatchObject({
      route: 'api',
      status: 200,
      query: { x: '1', token: '[REDACTED]' },
      account: 'emulator-sub',
    });
    expect(second?.headers.authorization).toBe('Bearer [REDACTED]');
    expect(third?.headers.authorization).toBe('[REDACTED]');
    expect(fourth?.body).toEqual({ keyId: CANARY_KEY_ID, secret: '[REDACTED]' });
    for (const text of [
      JSON.stringify(log),
      inspect(log, { depth: 10 }),
      inspect(emu, { depth: 10 }),
    ]) {
      expect(text).not.toContain(CANARY_SECRET);
      expect(text).not.toContain(tok);
    }
    await exchange(emu2);
    expect(seen).toHaveLength(1);
    expect(seen[0]?.status).toBe(201);
  });

  it('returns copies, so callers cannot change its counters or log', async () => {
    const emu = await emulator();
    await exchange(emu);
    const stats = emu.stats();
    stats.exchanges = 99;
    const log = emu.requests();
    log.pop();
    expect(emu.stats().exchanges).toBe(1);
    expect(emu.requests()).toHaveLength(1);
  });
});
