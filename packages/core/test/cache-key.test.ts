import { CANARY_SECRET } from '@lacework-auth/test-kit/vitest';
import { describe, expect, it } from 'vitest';
import { cacheKey } from '../src/cache/cache-key.js';

const base = {
  baseUrl: 'https://acme.lacework.net',
  keyId: 'ACME_KEY',
  secret: CANARY_SECRET,
};

describe('cache keys', () => {
  it('never contain the secret and are file-name safe', () => {
    const key = cacheKey(base, 3600);
    expect(key).not.toContain(CANARY_SECRET);
    expect(key).not.toContain(CANARY_SECRET.slice(1, 12));
    expect(key).toMatch(/^lw-[0-9a-f]{64}$/);
  });

  it('differ by base URL, key, sub-account, org access, expiry time and secret', () => {
    const keys = new Set([
      cacheKey(base, 3600),
      cacheKey({ ...base, baseUrl: 'https://other.lacework.net' }, 3600),
      cacheKey({ ...base, keyId: 'OTHER' }, 3600),
      cacheKey({ ...base, subAccount: 'sub' }, 3600),
      cacheKey({ ...base, orgAccess: true }, 3600),
      cacheKey(base, 600),
      cacheKey({ ...base, secret: `${CANARY_SECRET}x` }, 3600),
    ]);
    expect(keys.size).toBe(7);
    expect(cacheKey(base, 3600)).toBe(cacheKey({ ...base }, 3600));
  });
});
