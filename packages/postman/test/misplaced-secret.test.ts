import { leakedPieces, sharedEmulator } from '@lacework-auth/test-kit/vitest';
import { describe, expect, it } from 'vitest';
import { laceworkCollection, profileRequests } from './support/collections.js';
import { RUNNERS } from './support/runners.js';

// The secret pasted into the wrong variable, with characters around it: the failure names the
// variable and describes the value, and never quotes it.
const SECRET = '_CANARY0misplaced0secret0never0shown';

const emu = await sharedEmulator({ keys: [{ secret: SECRET }] });

describe.each(RUNNERS)('$name: a secret in the wrong variable is not echoed', ({ run }) => {
  it.each([
    ['lw_expiry_time', { lw_expiry_time: `x${SECRET}` }, /`lw_expiry_time` must be an integer/],
    [
      'lw_sub_account',
      { lw_sub_account: `acme ${SECRET}` },
      /`lw_sub_account` must be a sub-account name/,
    ],
    ['lw_key_id', { lw_key_id: `x${SECRET}` }, /Lacework rejected the API key `\(key ID not shown/],
    [
      'lw_base_url (host)',
      { lw_base_url: `https://x${SECRET}.lacework.net` },
      /`lw_base_url` is not a valid URL or account name \(\d+ characters, not shown\)/,
    ],
    ['lw_base_url (account)', { lw_base_url: `acme ${SECRET}` }, /`lw_base_url` contains spaces/],
  ])('%s', async (_name, variables, message) => {
    const result = await run({
      collection: laceworkCollection(profileRequests(1)),
      envVar: { lw_base_url: emu.url, lw_key_id: emu.keys[0]?.keyId ?? '', ...variables },
      iterationData: { lw_secret: SECRET },
    });

    expect(result.failures).toContainEqual(expect.stringMatching(message));
    expect(leakedPieces(result.failures.join('\n'), [SECRET])).toEqual([]);
    expect(leakedPieces(result.output, [SECRET])).toEqual([]);
    expect(leakedPieces(result.junit, [SECRET])).toEqual([]);
    // Nothing reached the API; a sub-account is checked before it is sent as Account-Name.
    expect(emu.requests().filter((r) => r.route !== 'token')).toEqual([]);
    if ('lw_sub_account' in variables) expect(emu.requests()).toEqual([]);
  });
});
