import { startEmulator } from '@lacework-auth/emulator';
import { sharedEmulator } from '@lacework-auth/test-kit/vitest';
import { describe, expect, it } from 'vitest';
import { laceworkCollection, profileRequests } from './support/collections.js';
import { RUNNERS } from './support/runners.js';
import { credentials } from './support/servers.js';

const emu = await sharedEmulator();

describe.each(RUNNERS)('$name: one token for a whole run', ({ run }) => {
  it('sends 50 requests with one token exchange', async () => {
    const result = await run({
      collection: laceworkCollection(profileRequests(50)),
      ...credentials(emu),
    });

    expect(result.failures).toEqual([]);
    expect(result.statuses).toEqual(Array(50).fill(200));
    expect(emu.stats()).toMatchObject({ exchanges: 1, apiCalls: 50 });
    const api = emu.requests().filter((r) => r.route === 'api');
    expect(api).toHaveLength(50);
    expect(api.every((r) => r.headers.authorization === 'Bearer [REDACTED]')).toBe(true);
  });

  it('sends Account-Name on the exchange and on every request when lw_sub_account is set', async () => {
    const key = emu.keys[0];
    const sub = key?.subAccounts[0];
    if (!sub) throw new Error('emulator key has no sub-account');
    const result = await run({
      collection: laceworkCollection(profileRequests(3)),
      ...credentials(emu, { lw_sub_account: sub }),
    });

    expect(result.failures).toEqual([]);
    const log = emu.requests();
    expect(log.map((r) => [r.route, r.headers['account-name']])).toEqual([
      ['token', sub],
      ['api', sub],
      ['api', sub],
      ['api', sub],
    ]);
    expect(log.filter((r) => r.route === 'api').every((r) => r.account === sub)).toBe(true);
  });
});

describe('newman: organization-level access', () => {
  it('lw_org_access=true sends Org-Access: true on the exchange and on every request', async () => {
    const result = await RUNNERS[0].run({
      collection: laceworkCollection(profileRequests(2)),
      ...credentials(emu, { lw_org_access: 'true' }),
    });

    expect(result.failures).toEqual([]);
    expect(emu.requests().map((r) => [r.route, r.headers['org-access']])).toEqual([
      ['token', 'true'],
      ['api', 'true'],
      ['api', 'true'],
    ]);
  });
});

describe('newman: data-driven runs', () => {
  it('each iteration uses its own account: a new base URL or key gets its own token', async () => {
    const other = await startEmulator();
    try {
      const [a, b] = [emu.keys[0], other.keys[0]];
      if (!a || !b) throw new Error('emulator has no key');
      const result = await RUNNERS[0].run({
        collection: laceworkCollection(profileRequests(3)),
        iterationData: [
          { lw_base_url: emu.url, lw_key_id: a.keyId, lw_secret: a.secret },
          { lw_base_url: other.url, lw_key_id: b.keyId, lw_secret: b.secret },
        ],
      });

      expect(result.failures).toEqual([]);
      expect(emu.stats()).toMatchObject({ exchanges: 1, apiCalls: 3 });
      expect(other.stats()).toMatchObject({ exchanges: 1, apiCalls: 3 });
    } finally {
      await other.close();
    }
  });
});

describe('newman: where the token is cached', () => {
  it.each(['environment', 'globals'] as const)(
    'store: %s also gives one exchange for the run',
    async (store) => {
      const result = await RUNNERS[0].run({
        collection: laceworkCollection(profileRequests(5), { store }),
        ...credentials(emu),
      });

      expect(result.failures).toEqual([]);
      expect(emu.stats()).toMatchObject({ exchanges: 1, apiCalls: 5 });
      const report = JSON.parse(result.json) as Record<string, { values: { key: string }[] }>;
      const keys = (scope: string) => report[scope]?.values.map((v) => v.key) ?? [];
      expect(keys(store)).toContain('lw_token_expires_at');
      expect(keys(store === 'environment' ? 'globals' : 'environment')).not.toContain('lw_token');
    },
  );
});
