import { describe, expect, it } from 'vitest';
import { addLaceworkAuth } from '../src/inject.js';
import { teamCollection } from './support/fixtures.js';
import { RUNNERS } from './support/runners.js';
import { sharedServers } from './support/servers.js';

const { emu, elsewhere: thirdParty } = await sharedServers();

describe.each(RUNNERS)('$name: a third-party collection with Lacework auth injected', ({ run }) => {
  it.each(['2.1', '2.0'] as const)(
    'v%s: its own tests pass, one exchange, no token to other hosts',
    async (version) => {
      const key = emu.keys[0];
      const collection = addLaceworkAuth(teamCollection(version));
      const result = await run({
        collection,
        envVar: {
          lw_base_url: emu.url,
          lw_key_id: key?.keyId ?? '',
          third_party_url: thirdParty.url,
        },
        iterationData: { lw_secret: key?.secret ?? '' },
      });

      // The team's own tests (collection, request level) ran and passed.
      expect(result.failures).toEqual([]);
      expect(result.junit).toContain('team: collection and folder scripts ran');
      expect(result.junit).toContain('team: own API key auth kept, no bearer');
      expect(result.statuses).toEqual([200, 200, 200]);
      expect(emu.stats().exchanges).toBe(1);
      // Its lw_expiry_time (600) was kept and used.
      const token = emu.requests().find((r) => r.route === 'token');
      expect(token?.body).toMatchObject({ expiryTime: 600 });
      // The request with its own auth kept it; the other host never saw a token.
      const echo = emu.requests().find((r) => r.route === 'echo');
      expect(echo?.headers['x-team-key']).toBe('team-123');
      expect(echo?.headers.authorization).toBeUndefined();
      expect(thirdParty.hits).toEqual([{ path: '/ping', authorization: undefined }]);
    },
  );
});
