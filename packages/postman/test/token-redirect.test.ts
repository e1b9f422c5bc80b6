import { describe, expect, it } from 'vitest';
import { createEnvironment } from '../src/environment.js';
import { laceworkCollection, profileRequests } from './support/collections.js';
import { RUNNERS, runNewman } from './support/runners.js';
import { sharedServers } from './support/servers.js';

const { emu, elsewhere, key } = await sharedServers();

function redirectToElsewhere() {
  emu.inject({
    route: 'token',
    status: 307,
    body: '',
    headers: { Location: `${elsewhere.url}/stolen` },
  });
}

describe.each(RUNNERS)('$name: a redirect from the token endpoint', ({ name, run }) => {
  it('with --ignore-redirects: the target gets no X-LW-UAKS and the run fails with the reason', async () => {
    redirectToElsewhere();
    const result = await run({
      collection: laceworkCollection(profileRequests(1)),
      envVar: { lw_base_url: emu.url, lw_key_id: key().keyId },
      iterationData: { lw_secret: key().secret },
      ignoreRedirects: true,
    });

    expect(elsewhere.hits).toEqual([]);
    expect(result.failures).toEqual([
      expect.stringMatching(
        /^Lacework auth: the Lacework token endpoint answered HTTP 307, a redirect to 127\.0\.0\.1, which Lacework does not send\. It was not followed, and the API secret was not sent to its target\. .* The request was not sent\.$/,
      ),
    ]);
    expect(emu.requests().filter((r) => r.route !== 'token')).toEqual([]);
    // newman's JSON report records the token request's headers after a failed exchange (README,
    // "Secrets in reports"); the console output and JUnit report never hold the secret.
    expect(`${result.output}${result.junit}`).not.toContain(key().secret);
    if (name === 'postman-cli') {
      expect(result.json).not.toContain(key().secret);
      expect(result.exitCode).toBe(1);
    }
  });
});

describe('newman without --ignore-redirects (the residual risk in the README)', () => {
  it('follows the redirect and sends X-LW-UAKS to its target; the run still fails', async () => {
    redirectToElsewhere();
    const result = await runNewman({
      collection: laceworkCollection(profileRequests(1)),
      envVar: { lw_base_url: emu.url, lw_key_id: key().keyId },
      iterationData: { lw_secret: key().secret },
    });

    expect(elsewhere.hits).toEqual([
      { path: '/stolen', authorization: undefined, uaks: key().secret },
    ]);
    expect(result.failures).toEqual([expect.stringContaining('without a token')]);
    expect(emu.requests().filter((r) => r.route !== 'token')).toEqual([]);
  });
});

describe.each(RUNNERS)('$name: lw_base_url outside *.lacework.net', ({ run }) => {
  it('is refused before the secret is sent, unless lw_allow_any_host is true', async () => {
    const secret = key().secret;
    const refused = await run({
      collection: laceworkCollection([
        { name: 'proxy', request: { method: 'GET', url: '{{lw_base_url}}/api/v2/UserProfile' } },
      ]),
      envVar: { lw_base_url: 'https://proxy.corp.example', lw_key_id: key().keyId },
      iterationData: { lw_secret: secret },
    });
    expect(refused.failures).toEqual([
      expect.stringMatching(
        /^Lacework auth: `lw_base_url` points at proxy\.corp\.example, which is not a \*\.lacework\.net host, so the API secret is not sent there\. .*set `lw_allow_any_host` to true in the same place as `lw_base_url`\. The request was not sent\.$/,
      ),
    ]);
    expect(refused.statuses.every((status) => status === undefined)).toBe(true);

    // Opted in, the script goes ahead (and finds nothing listening on 0.0.0.0:1).
    const allowed = await run({
      collection: laceworkCollection(profileRequests(1)),
      envVar: {
        lw_base_url: 'https://0.0.0.0:1',
        lw_key_id: key().keyId,
        lw_allow_any_host: 'true',
      },
      iterationData: { lw_secret: secret },
    });
    expect(allowed.failures).toContainEqual(expect.stringContaining('could not reach'));
    expect(allowed.failures.join('\n')).not.toContain('not a *.lacework.net host');
    expect(`${refused.output}${allowed.output}`).not.toContain(secret);
  });
});

describe('the host rule (newman)', () => {
  it.each([
    ['acme', true],
    ['acme.fra.lacework.net', true],
    ['https://localhost:1', true],
    ['http://127.0.0.1:1', true],
    ['https://lacework.net.evil.example', false],
    ['https://evil-lacework.net', false],
    ['https://a.b.c.d.lacework.net', false],
  ])('%s passes the host rule: %s', async (baseUrl, passes) => {
    const result = await runNewman({
      collection: laceworkCollection([
        { name: 'r', request: { method: 'GET', url: '{{lw_base_url}}/api/v2/UserProfile' } },
      ]),
      envVar: { lw_base_url: baseUrl, lw_key_id: key().keyId },
      // A secret that cannot work: a request that does go out must not succeed by accident.
      iterationData: { lw_secret: '_not-a-real-secret-0000' },
    });
    const refused = result.failures.some((f) => f.includes('not a *.lacework.net host'));
    expect(refused).toBe(!passes);
  });
});

describe('createEnvironment and lw_allow_any_host', () => {
  it('sets it for an explicit base URL outside *.lacework.net and loopback, only then', () => {
    const allow = (options: Parameters<typeof createEnvironment>[0]) =>
      createEnvironment(options).values.find((v) => v.key === 'lw_allow_any_host')?.value;
    expect(allow({ baseUrl: 'https://proxy.corp.example' })).toBe('true');
    expect(allow({ baseUrl: 'https://acme.lacework.net' })).toBeUndefined();
    expect(allow({ baseUrl: 'http://127.0.0.1:9' })).toBeUndefined();
    expect(allow({ account: 'acme' })).toBeUndefined();
  });
});
