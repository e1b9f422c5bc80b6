import { describe, expect, it } from 'vitest';
import { laceworkCollection, type TestItem } from './support/collections.js';
import { RUNNERS, runNewman } from './support/runners.js';
import { sharedServers } from './support/servers.js';

// The token and the secret go to lw_base_url's origin only: a request is a Lacework request when
// its resolved URL has that scheme, host and port and a path under /api/v2, nothing else.
const { emu, elsewhere, key } = await sharedServers();

function get(name: string, url: string, extra: Record<string, unknown> = {}): TestItem {
  return { name, request: { method: 'GET', url, ...extra } };
}

/** Requests that mention {{lw_base_url}} (or its host) but go to the other server. */
function foreignRequests(): TestItem[] {
  const other = new URL(elsewhere.url);
  return [
    get('query', '{{other}}/hook?src={{lw_base_url}}'),
    get('path', '{{other}}/{{lw_base_url}}/api/v2/UserProfile'),
    // http://127.0.0.1:<emulator port>@127.0.0.1:<other port>/...: user info, then the other host.
    get('userinfo', `{{lw_base_url}}@${other.host}/api/v2/UserProfile`),
    get('port', `http://${other.host}/api/v2/UserProfile`),
  ];
}

function env(extra: Record<string, string> = {}) {
  return { lw_base_url: emu.url, lw_key_id: key().keyId, other: elsewhere.url, ...extra };
}

function expectNoBearer() {
  for (const hit of elsewhere.hits) {
    expect(hit.authorization ?? '', hit.path).not.toMatch(/bearer/i);
    expect(hit.uaks, hit.path).toBeUndefined();
  }
}

describe.each(RUNNERS)('$name: requests to other hosts', ({ run }) => {
  it('get no token and cause no exchange, even when their URL mentions {{lw_base_url}}', async () => {
    const result = await run({
      collection: laceworkCollection(foreignRequests()),
      envVar: env(),
      iterationData: { lw_secret: key().secret },
    });

    expect(result.failures).toEqual([]);
    expect(result.statuses).toEqual([200, 200, 200, 200]);
    const lacework = emu.url.replace('http://', '');
    expect(elsewhere.hits.map((h) => h.path)).toEqual([
      `/hook?src=http://${lacework}`,
      `/http://${lacework}/api/v2/UserProfile`,
      '/api/v2/UserProfile',
      '/api/v2/UserProfile',
    ]);
    expectNoBearer();
    // No exchange: the secret went nowhere.
    expect(emu.stats().exchanges).toBe(0);
    expect(emu.requests()).toEqual([]);
  });

  it('after a Lacework request cached a token, still get none; the Lacework request gets it', async () => {
    const result = await run({
      collection: laceworkCollection([
        get('lacework', '{{lw_base_url}}/api/v2/UserProfile'),
        ...foreignRequests(),
        // The same origin spelled out, without the variable: a Lacework request too.
        get('literal', `${emu.url}/api/v2/UserProfile`),
      ]),
      envVar: env(),
      iterationData: { lw_secret: key().secret },
    });

    expect(result.failures).toEqual([]);
    expect(result.statuses).toEqual([200, 200, 200, 200, 200, 200]);
    expect(elsewhere.hits).toHaveLength(4);
    expectNoBearer();
    expect(emu.stats().exchanges).toBe(1);
    const api = emu.requests().filter((r) => r.route !== 'token');
    expect(api).toHaveLength(2);
    for (const request of api) expect(request.headers.authorization).toMatch(/^Bearer \S+$/);
  });

  it('a request’s own Authorization header to another host is left as it is', async () => {
    const result = await run({
      collection: laceworkCollection([
        get('own header', '{{other}}/own?src={{lw_base_url}}', {
          header: [{ key: 'Authorization', value: 'Token team-123' }],
        }),
      ]),
      envVar: env(),
      iterationData: { lw_secret: key().secret },
    });

    expect(result.failures).toEqual([]);
    expect(elsewhere.hits).toEqual([
      { path: expect.stringMatching(/^\/own\?/), authorization: 'Token team-123' },
    ]);
    expect(emu.stats().exchanges).toBe(0);
  });
});

describe('newman: where lw_base_url comes from', () => {
  it('a local variable set by another script does not move the token or the secret', async () => {
    const result = await runNewman({
      collection: laceworkCollection([
        {
          ...get('plant', '{{other}}/plant'),
          event: [
            {
              listen: 'test',
              script: { exec: ["pm.variables.set('lw_base_url', pm.variables.get('other'));"] },
            },
          ],
        },
        get('lacework', '{{lw_base_url}}/api/v2/UserProfile'),
      ]),
      envVar: env(),
      iterationData: { lw_secret: key().secret },
    });

    expect(result.failures).toEqual([]);
    expect(elsewhere.hits.map((h) => h.path)).toEqual(['/plant']);
    expectNoBearer();
    expect(emu.stats().exchanges).toBe(1);
  });

  it('lw_allow_any_host in the environment does not vouch for a lw_base_url from the data file', async () => {
    const result = await runNewman({
      collection: laceworkCollection([get('lacework', '{{lw_base_url}}/api/v2/UserProfile')]),
      envVar: env({ lw_allow_any_host: 'true' }),
      // 0.0.0.0 is neither *.lacework.net nor loopback (and nothing listens on port 1).
      iterationData: { lw_secret: key().secret, lw_base_url: 'https://0.0.0.0:1' },
    });

    expect(result.failures).toEqual([
      expect.stringMatching(
        /^Lacework auth: `lw_base_url` points at 0\.0\.0\.0, which is not a \*\.lacework\.net host.*in the same place as `lw_base_url`\. The request was not sent\.$/,
      ),
    ]);
    expect(result.statuses.every((status) => status === undefined)).toBe(true);

    // Set next to it, the opt-in counts (and the script goes ahead, to find nothing there).
    const allowed = await runNewman({
      collection: laceworkCollection([get('lacework', '{{lw_base_url}}/api/v2/UserProfile')]),
      envVar: env(),
      iterationData: {
        lw_secret: key().secret,
        lw_base_url: 'https://0.0.0.0:1',
        lw_allow_any_host: 'true',
      },
    });
    expect(allowed.failures).toContainEqual(expect.stringContaining('could not reach'));
  });

  it.each([
    ['a {{variable}}', '{{other}}', /contains `\{\{` or `\}\}`/],
    ['user info', 'http://user:pw@127.0.0.1:1', /must not contain a user name or password/],
    [
      'a backslash',
      'http://127.0.0.1:1\\@acme.lacework.net',
      /spaces, control characters or a backslash/,
    ],
  ])(
    'lw_base_url with %s is refused, and the request not sent',
    async (_what, baseUrl, message) => {
      const result = await runNewman({
        collection: laceworkCollection([get('lacework', '{{lw_base_url}}/api/v2/UserProfile')]),
        envVar: env({ lw_base_url: baseUrl, lw_allow_any_host: 'true' }),
        iterationData: { lw_secret: key().secret },
      });

      expect(result.failures).toEqual([expect.stringMatching(message)]);
      expect(result.statuses.every((status) => status === undefined)).toBe(true);
      expect(elsewhere.hits).toEqual([]);
      expect(emu.requests()).toEqual([]);
    },
  );

  it('lw_base_url with a path, query and fragment: only its origin is used', async () => {
    const result = await runNewman({
      collection: laceworkCollection([get('lacework', '{{lw_base_url}}/api/v2/UserProfile')]),
      envVar: env({ lw_base_url: `${emu.url}/api/v2?x=1#frag` }),
      iterationData: { lw_secret: key().secret },
    });

    expect(result.failures).toEqual([]);
    expect(result.statuses).toEqual([200]);
    expect(emu.requests().map((r) => r.path)).toEqual([
      '/api/v2/access/tokens',
      '/api/v2/UserProfile',
    ]);
  });
});
