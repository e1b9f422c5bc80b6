import { sharedEmulator } from '@lacework-auth/test-kit/vitest';
import { describe, expect, it } from 'vitest';
import { laceworkCollection, profileRequests } from './support/collections.js';
import { runNewman } from './support/runners.js';

const SECRET = '_canary0postman0echo0a1b2c3d4e5f6a7b8';

const emu = await sharedEmulator({ keys: [{ secret: SECRET }] });

describe('a token endpoint message that echoes part of the secret', () => {
  it.each([
    ['upper-cased', `bad secret ${SECRET.toUpperCase()}`],
    ['cut to its first 12 characters', `bad secret ${SECRET.slice(0, 12)}…`],
    ['a piece from its middle', `key ${SECRET.slice(10, 26)} unknown`],
  ])('%s is withheld from the failure and the output', async (_name, message) => {
    emu.inject({ route: 'token', status: 401, body: { message } });
    const result = await runNewman({
      collection: laceworkCollection(profileRequests(1)),
      envVar: { lw_base_url: emu.url, lw_key_id: emu.keys[0]?.keyId ?? '' },
      iterationData: { lw_secret: SECRET },
    });

    expect(result.failures).toEqual([
      expect.stringContaining(
        '(HTTP 401: [server message withheld: it echoed part of the secret or token])',
      ),
    ]);
    const shown = `${result.output}${result.junit}${result.failures.join('\n')}`.toLowerCase();
    for (let i = 0; i + 8 <= SECRET.length; i++) {
      expect(shown).not.toContain(SECRET.slice(i, i + 8).toLowerCase());
    }
  });
});
