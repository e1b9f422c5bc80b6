import { sharedEmulator } from '@lacework-auth/test-kit/vitest';
import { describe, expect, it } from 'vitest';
import { laceworkCollection, profileRequests } from './support/collections.js';
import { runNewman } from './support/runners.js';
import { firstKey } from './support/servers.js';

// The token from the exchange ends up in a header through {{lw_token}}, and runners resolve
// {{…}} in a variable's value again: a "token" such as {{lw_secret}} would put the secret in the
// Authorization header and in newman's JSON report. Only an RFC 6750 bearer token is used.
const emu = await sharedEmulator();

const expiresAt = () => new Date(Date.now() + 3_600_000).toISOString();

describe('newman: a token that is not a bearer token', () => {
  it.each([
    ['a variable reference', '{{lw_secret}}'],
    ['a line break', 'abc\r\nX-Injected: 1'],
    ['spaces', 'abc def'],
    ['20,000 characters', 'A'.repeat(20_000)],
  ])('%s: refused, the request is not sent', async (_what, token) => {
    emu.inject({ route: 'token', status: 201, body: { token, expiresAt: expiresAt() } });
    const result = await runNewman({
      collection: laceworkCollection(profileRequests(1)),
      envVar: { lw_base_url: emu.url, lw_key_id: firstKey(emu).keyId },
      iterationData: { lw_secret: firstKey(emu).secret },
    });

    expect(result.failures).toEqual([
      expect.stringMatching(
        /^Lacework auth: the token endpoint answered HTTP 201 with a token that is not a bearer token \(\d+ characters, not shown\)\. .*The request was not sent\.$/,
      ),
    ]);
    expect(emu.requests().filter((r) => r.route !== 'token')).toEqual([]);
    expect(`${result.output}${result.junit}`).not.toContain(firstKey(emu).secret);
    // newman's JSON report keeps the failed token request's own headers (README, "Secrets in
    // reports"), but no request carried the secret as a token.
    expect(result.json).not.toMatch(/"key":\s*"Authorization"/i);
  });
});
