import { PERMISSION_COOLDOWN_MS } from '@lacework-auth/core';
import { describe, expect, it, vi } from 'vitest';
import { sharedLacework, sharedLaceworkFor, sharedRegistryKeys } from '../src/shared-provider.js';

const base = { baseUrl: 'http://127.0.0.1:9', keyId: 'TEST_KEY_0123456789ABCDEF0123456789ABCDEF' };
const SECRET = '_canary-secret-4f2b9c1d7e6a5b3c';
const ROUTE = 'GET /api/v2/CloudAccounts';

describe('sharedLacework', () => {
  it('returns the same provider for identical options, whatever the key order', () => {
    const a = sharedLacework({ ...base, secret: SECRET, expiryTime: 120 });
    const b = sharedLacework({ expiryTime: 120, secret: SECRET, ...base });
    expect(a).toBe(b);
    expect(a.provider).toBe(b.provider);
  });

  it('returns different providers when anything differs, the secret included', () => {
    const a = sharedLacework({ ...base, secret: SECRET, expiryTime: 121 });
    expect(sharedLacework({ ...base, secret: `${SECRET}x`, expiryTime: 121 })).not.toBe(a);
    expect(sharedLacework({ ...base, secret: SECRET, expiryTime: 122 })).not.toBe(a);
    expect(
      sharedLacework({ ...base, secret: SECRET, expiryTime: 121, subAccount: 'dev' }),
    ).not.toBe(a);
  });

  it('compares functions and stores by identity', () => {
    const fetchA: typeof fetch = (...args) => fetch(...args);
    const fetchB: typeof fetch = (...args) => fetch(...args);
    const a = sharedLacework({ ...base, secret: SECRET, fetch: fetchA });
    expect(sharedLacework({ ...base, secret: SECRET, fetch: fetchA })).toBe(a);
    expect(sharedLacework({ ...base, secret: SECRET, fetch: fetchB })).not.toBe(a);
  });

  it('never keys the registry by the secret or the key ID', () => {
    sharedLacework({ ...base, secret: SECRET, expiryTime: 123 });
    const keys = sharedRegistryKeys();
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) {
      expect(key).not.toContain(SECRET);
      expect(key).not.toContain('canary');
      expect(key).not.toContain(base.keyId);
      expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/);
    }
  });

  it('wraps a user provider once', () => {
    const provider = {
      getToken: async () => ({ token: 't', expiresAt: new Date() }),
      invalidate: async () => {},
      baseUrl: 'http://127.0.0.1:9',
    };
    expect(sharedLaceworkFor(provider)).toBe(sharedLaceworkFor(provider));
  });

  it('replaceRejectedToken: one forced exchange for many callers with the same stale token', async () => {
    let exchanges = 0;
    let current = 'token-1';
    const provider = {
      getToken: async (options?: { forceRefresh?: boolean }) => {
        if (options?.forceRefresh) {
          exchanges++;
          await new Promise((r) => setTimeout(r, 10));
          current = `token-${exchanges + 1}`;
        }
        return { token: current, expiresAt: new Date(Date.now() + 60_000) };
      },
      invalidate: async () => {},
      baseUrl: 'http://127.0.0.1:9',
    };
    const shared = sharedLaceworkFor(provider);
    const tokens = await Promise.all(
      Array.from({ length: 5 }, () => shared.replaceRejectedToken('token-1', ROUTE)),
    );
    expect(tokens).toEqual(Array(5).fill('token-2'));
    expect(exchanges).toBe(1);
    // A caller whose stale token was already replaced gets the current one, no new exchange.
    expect(await shared.replaceRejectedToken('token-1', ROUTE)).toBe('token-2');
    expect(exchanges).toBe(1);
    // The new token being rejected too, on any route, is about permissions: no new exchange
    // for the cooldown, or a client could buy one exchange per made-up route.
    expect(await shared.replaceRejectedToken('token-2', ROUTE)).toBeUndefined();
    expect(await shared.replaceRejectedToken('token-2', 'GET /api/v2/Other')).toBeUndefined();
    expect(exchanges).toBe(1);
  });

  it('does not refresh again a fresh token that Lacework refused too, for a cooldown', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      let exchanges = 0;
      let current = 'token-1';
      const provider = {
        getToken: async (options?: { forceRefresh?: boolean }) => {
          if (options?.forceRefresh) current = `token-${++exchanges + 1}`;
          return { token: current, expiresAt: new Date(Date.now() + 3_600_000) };
        },
        invalidate: async () => {},
        baseUrl: 'http://127.0.0.1:9',
      };
      const shared = sharedLaceworkFor(provider);
      expect(await shared.replaceRejectedToken('token-1', ROUTE)).toBe('token-2');
      shared.noteRefusedAfterRefresh(ROUTE);
      for (let i = 0; i < 5; i++)
        expect(await shared.replaceRejectedToken('token-2', ROUTE)).toBeUndefined();
      expect(exchanges).toBe(1);
      vi.setSystemTime(Date.now() + PERMISSION_COOLDOWN_MS + 1);
      expect(await shared.replaceRejectedToken('token-2', ROUTE)).toBe('token-3');
      expect(exchanges).toBe(2);
    } finally {
      vi.useRealTimers();
    }
  });
});
