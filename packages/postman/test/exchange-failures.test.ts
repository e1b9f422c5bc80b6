import { startEmulator } from '@lacework-auth/emulator';
import { sharedEmulator } from '@lacework-auth/test-kit/vitest';
import { describe, expect, it } from 'vitest';
import { laceworkCollection, profileRequests } from './support/collections.js';
import { RUNNERS } from './support/runners.js';
import { credentials } from './support/servers.js';

const emu = await sharedEmulator();

/** Nothing reached an API route: every request was stopped before it went out. */
function expectNoApiRequest() {
  expect(emu.requests().filter((r) => r.route !== 'token')).toEqual([]);
}

describe.each(RUNNERS)('$name: a failed exchange stops the request', ({ name, run }) => {
  it('bad secret: fails with "Lacework rejected the API key", sends nothing, asks only once per run', async () => {
    const result = await run({
      collection: laceworkCollection(profileRequests(3)),
      ...credentials(emu, {}, '_not-the-secret-0000'),
    });

    expect(result.failures).toEqual([
      expect.stringMatching(
        /^Lacework auth: Lacework rejected the API key `EMULATOR_.…` \(HTTP 401: .+\)\. Check `lw_key_id` and `lw_secret`.* The request was not sent\.$/,
      ),
      expect.stringMatching(
        /^Lacework auth: Lacework rejected the API key `EMULATOR_.…` earlier in this run \(HTTP 401\); it is not sent again\. .* The request was not sent\.$/,
      ),
      expect.stringContaining('earlier in this run (HTTP 401)'),
    ]);
    expect(emu.requests().filter((r) => r.route === 'token')).toHaveLength(1);
    expect(emu.stats()).toMatchObject({ exchanges: 0, apiCalls: 0 });
    expectNoApiRequest();
    if (name === 'postman-cli') expect(result.exitCode).toBe(1);
  });

  it('429: fails with "rate limit" and the reset time, sends nothing, waits for the reset', async () => {
    emu.inject({ route: 'token', status: 429, headers: { 'RateLimit-Reset': '42' } });
    const result = await run({
      collection: laceworkCollection(profileRequests(2)),
      ...credentials(emu),
    });

    expect(result.failures).toEqual([
      expect.stringMatching(
        /^Lacework auth: Lacework rate limit reached \(HTTP 429\) while exchanging the API key `EMULATOR_.…`; RateLimit-Reset: 42\. /,
      ),
      expect.stringMatching(
        /^Lacework auth: Lacework rate limit reached \(HTTP 429\) earlier in this run; no new exchange before \d{4}-\d\d-\d\dT/,
      ),
    ]);
    // The fault covered one request only: the second request did not ask again.
    expect(emu.requests().filter((r) => r.route === 'token')).toHaveLength(1);
    expectNoApiRequest();
  });

  it('dead server: fails with "could not reach" and sends nothing', async () => {
    const dead = await startEmulator();
    const deadUrl = dead.url;
    await dead.close();
    const key = emu.keys[0];
    const result = await run({
      collection: laceworkCollection(profileRequests(2)),
      envVar: { lw_base_url: deadUrl, lw_key_id: key?.keyId ?? '' },
      iterationData: { lw_secret: key?.secret ?? '' },
    });

    // Per request: our failing test, plus the runner's own ECONNREFUSED for the token request.
    // Had a request gone out anyway, each would add a second ECONNREFUSED.
    const ours = `Lacework auth: could not reach the Lacework token endpoint ${deadUrl}/api/v2/access/tokens (ECONNREFUSED). Check \`lw_base_url\` and your network or proxy settings. The request was not sent.`;
    expect(result.failures.filter((f) => f === ours)).toHaveLength(2);
    expect(result.failures.filter((f) => f.includes('connect ECONNREFUSED'))).toHaveLength(2);
    expect(result.failures).toHaveLength(4);
    expect(result.statuses.filter((s) => s !== undefined)).toEqual([]);
  });
});

describe('newman: more ways an exchange fails', () => {
  const newman = RUNNERS[0].run;

  it('HTML instead of JSON: says the answer was not JSON', async () => {
    emu.inject({
      route: 'token',
      status: 200,
      body: '<html>Sign in</html>',
      headers: { 'Content-Type': 'text/html' },
    });
    const result = await newman({
      collection: laceworkCollection(profileRequests(1)),
      ...credentials(emu),
    });

    expect(result.failures).toEqual([
      expect.stringContaining(
        'the token endpoint answered HTTP 200 with text/html instead of JSON. Check that `lw_base_url` points at your Lacework account',
      ),
    ]);
    expectNoApiRequest();
  });

  it('broken JSON: says the answer was not JSON', async () => {
    emu.inject({ route: 'token', malformed: true });
    const result = await newman({
      collection: laceworkCollection(profileRequests(1)),
      ...credentials(emu),
    });

    expect(result.failures).toEqual([expect.stringContaining('instead of JSON')]);
    expectNoApiRequest();
  });

  it('JSON without a token: says so', async () => {
    emu.inject({ route: 'token', status: 201, body: { expiresAt: '2030-01-01T00:00:00.000Z' } });
    const result = await newman({
      collection: laceworkCollection(profileRequests(1)),
      ...credentials(emu),
    });

    expect(result.failures).toEqual([
      expect.stringContaining('the token endpoint answered HTTP 201 without a token'),
    ]);
    expectNoApiRequest();
  });

  it('5xx: says the token endpoint failed', async () => {
    emu.inject({ route: 'token', status: 503 });
    const result = await newman({
      collection: laceworkCollection(profileRequests(1)),
      ...credentials(emu),
    });

    expect(result.failures).toEqual([
      expect.stringContaining('the Lacework token endpoint failed (HTTP 503'),
    ]);
    expectNoApiRequest();
  });

  it('missing variables: names them and sends nothing, not even an exchange', async () => {
    const result = await newman({
      collection: laceworkCollection(profileRequests(1)),
      envVar: { lw_base_url: emu.url },
    });

    expect(result.failures).toEqual([
      'Lacework auth: `lw_key_id`, `lw_secret` are not set. Set them in your environment (mark `lw_secret` as secret), or pass --env-var to newman or the Postman CLI. The request was not sent.',
    ]);
    expect(emu.requests()).toEqual([]);
  });

  it('unknown sub-account (403 on the exchange): points at lw_sub_account too', async () => {
    const result = await newman({
      collection: laceworkCollection(profileRequests(1)),
      ...credentials(emu, { lw_sub_account: 'no-such-sub-account' }),
    });

    expect(result.failures).toEqual([
      expect.stringMatching(
        /Lacework rejected the API key `EMULATOR_.…` \(HTTP 403: .*\)\. Check `lw_key_id` and `lw_secret` and `lw_sub_account`/,
      ),
    ]);
    expectNoApiRequest();
  });

  it('invalid lw_expiry_time: names the variable and the allowed range', async () => {
    const result = await newman({
      collection: laceworkCollection(profileRequests(1)),
      ...credentials(emu, { lw_expiry_time: '90000' }),
    });

    expect(result.failures).toEqual([
      expect.stringContaining(
        '`lw_expiry_time` must be an integer from 1 to 86400 (seconds), got 90000.',
      ),
    ]);
    expect(emu.requests()).toEqual([]);
  });

  it('http:// to a non-loopback host: refuses to send the secret in clear text', async () => {
    const result = await newman({
      collection: laceworkCollection(profileRequests(1)),
      ...credentials(emu, { lw_base_url: 'http://acme.lacework.net' }),
    });

    expect(result.failures).toEqual([
      expect.stringContaining('`lw_base_url` uses http:// for acme.lacework.net; use https://'),
    ]);
  });
});
