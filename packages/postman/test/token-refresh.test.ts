import { describe, expect, it } from 'vitest';
import { laceworkCollection, profileRequests, waitRequest } from './support/collections.js';
import { RUNNERS } from './support/runners.js';
import { credentials, sharedServers } from './support/servers.js';

// Stands for something that revokes the token in the middle of a run (a key rotated in the
// console); a request to it revokes every token the emulator issued.
const { emu, elsewhere: thirdParty } = await sharedServers((path, lacework) => {
  if (path === '/revoke') lacework.revokeTokens();
});

describe.each(RUNNERS)('$name: token refresh', ({ run }) => {
  it('exchanges again once a short-lived token is inside its refresh window, before it expires', async () => {
    // 3 s tokens: the refresh window is 1 s (10 % is less than 1 s, and 1 s is under half the
    // lifetime), so a token serves requests for 2 s. The requests after the 2.2 s wait need a new
    // token while the old one is still valid (the wait request itself still uses it).
    const collection = laceworkCollection([
      ...profileRequests(3, 'before'),
      waitRequest('wait 2.2 s', 2200),
      ...profileRequests(3, 'after'),
    ]);
    const result = await run({ collection, ...credentials(emu, { lw_expiry_time: '3' }) });

    expect(result.failures).toEqual([]);
    expect(result.statuses).toEqual(Array(7).fill(200));
    const log = emu.requests();
    const routes = log.map((r) => r.route);
    expect(routes[0]).toBe('token');
    // A new token came after the wait and before the next Lacework request.
    expect(routes.slice(routes.indexOf('echo'))).toEqual(['echo', 'token', 'api', 'api', 'api']);
    // Normally 2 exchanges; a third is tolerated when a loaded machine stretches the first phase
    // past the token's 2 s of use. Without reuse it would be 7.
    expect(emu.stats().exchanges).toBeGreaterThanOrEqual(2);
    expect(emu.stats().exchanges).toBeLessThanOrEqual(3);
    expect(
      log
        .filter((r) => r.route === 'token')
        .every((r) => (r.body as { expiryTime?: number }).expiryTime === 3),
    ).toBe(true);
    // No request was refused: the token was replaced ahead of expiry, not after a 403.
    expect(log.filter((r) => r.status === 401 || r.status === 403)).toEqual([]);
  });

  it('drops a revoked token, exchanges the key again and runs the refused request once more', async () => {
    const collection = laceworkCollection([
      ...profileRequests(2, 'before'),
      { name: 'revoke', request: { method: 'GET', url: `${thirdParty.url}/revoke` } },
      ...profileRequests(3, 'after'),
    ]);
    const result = await run({ collection, ...credentials(emu) });

    expect(result.failures).toEqual([]);
    const api = emu.requests().filter((r) => r.route !== 'other');
    expect(api.map((r) => `${r.route} ${r.status}`)).toEqual([
      'token 201',
      'api 200',
      'api 200',
      'api 403', // "after 1" with the revoked token
      'token 201',
      'api 200', // "after 1" again, with the new token
      'api 200',
      'api 200',
    ]);
    // The request to the other host inherited the collection's bearer auth, yet got no token.
    expect(thirdParty.hits.at(-1)).toEqual({ path: '/revoke', authorization: undefined });
  });

  it('fails (does not loop) when Lacework refuses even a fresh token', async () => {
    emu.inject({ route: 'api', status: 403, body: { message: 'User not authorized.' }, times: 10 });
    const result = await run({
      collection: laceworkCollection(profileRequests(1)),
      ...credentials(emu),
    });

    expect(emu.stats().exchanges).toBe(1);
    expect(emu.requests().filter((r) => r.route === 'api')).toHaveLength(1);
    expect(result.failures).toEqual([
      expect.stringContaining('Lacework answered HTTP 403 to a freshly exchanged token'),
    ]);
  });
});
