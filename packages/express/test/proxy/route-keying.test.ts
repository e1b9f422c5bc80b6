import { createTokenProvider } from '@lacework-auth/core';
import { sharedEmulator } from '@lacework-auth/test-kit/vitest';
import express from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { laceworkProxy } from '../../src/proxy/proxy.js';
import { keyOptions } from '../support/servers.js';

const emu = await sharedEmulator({ rateLimit: false });

/** A proxy whose provider holds a token, and Lacework refusing every API request of the key. */
async function forbiddingProxy() {
  const provider = createTokenProvider({ ...keyOptions(emu), retry: 0 });
  await provider.getToken();
  const app = express().use('/lw', laceworkProxy({ tokenProvider: provider, allow: ['**'] }));
  emu.resetStats();
  // Lacework refuses every API request of this key, whatever token it presents: permissions.
  emu.inject({
    route: 'api',
    status: 403,
    body: { message: 'User not authorized.' },
    times: 100,
  });
  return app;
}

describe('per-route state uses the canonical route the allow-list matches', () => {
  it('percent-encoded and case spellings of one forbidden route cost at most one exchange in all', async () => {
    const app = await forbiddingProxy();
    const spellings = [
      '/lw/CloudAccounts',
      '/lw/%43loudAccounts',
      '/lw/C%6coudAccounts',
      '/lw/Cloud%41ccounts',
      '/lw/%43%6c%6f%75%64%41%63%63%6f%75%6e%74%73',
      '/lw/%43%6C%6F%75%64Accounts',
      '/lw/CloudAccount%73',
      '/lw/cloudaccounts',
      '/lw/CLOUDACCOUNTS',
      '/lw/CloudAccounts?x=1',
    ];
    for (const path of spellings) {
      const res = await request(app).get(path);
      expect(res.status, path).toBe(403);
    }
    // The first refusal buys one fresh token; that token is refused too, and from then on
    // no spelling of the route exchanges again.
    expect(emu.stats().exchanges).toBe(1);
    // What Lacework saw was the canonical path, never a percent-encoded spelling.
    const paths = emu
      .requests()
      .filter((r) => r.route !== 'token')
      .map((r) => r.path);
    expect(paths.every((p) => !p.includes('%'))).toBe(true);
  });

  it('making up new forbidden routes does not buy an exchange each', async () => {
    const app = await forbiddingProxy();
    for (let i = 0; i < 12; i++) {
      const res = await request(app).get(`/lw/CloudAccounts/guid-${i}`);
      expect(res.status).toBe(403);
    }
    // One exchange after the first refusal; its token, refused too, is not replaced again on
    // any route for the cooldown.
    expect(emu.stats().exchanges).toBe(1);
  });
});
