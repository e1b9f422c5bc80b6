import { describe, expect, it } from 'vitest';
import { createCollection } from '../src/collection.js';
import { laceworkCollection, profileRequests } from './support/collections.js';
import { RUNNERS } from './support/runners.js';
import { sharedServers } from './support/servers.js';

// A redirect of a Lacework request: the runners' HTTP client (postman-request) keeps the
// Authorization header when a redirect changes only the port or the scheme, so a redirect from
// http://127.0.0.1:<emulator> to http://127.0.0.1:<other port> (or from https://acme.lacework.net
// to http://acme.lacework.net) would carry the token there. A generated collection does not
// follow redirects.
const { emu, elsewhere, key } = await sharedServers();

describe.each(RUNNERS)('$name: a Lacework request answered with a redirect', ({ run }) => {
  it('to another port of the same host: not followed, the token stays, the run says why', async () => {
    emu.inject({
      route: '/api/v2/UserProfile',
      status: 307,
      body: '',
      headers: { Location: `${elsewhere.url}/stolen` },
    });
    const result = await run({
      collection: laceworkCollection(profileRequests(2)),
      envVar: { lw_base_url: emu.url, lw_key_id: key().keyId },
      iterationData: { lw_secret: key().secret },
    });

    expect(elsewhere.hits).toEqual([]);
    expect(result.statuses).toEqual([307, 200]);
    expect(result.failures).toEqual([
      'Lacework auth: Lacework answered HTTP 307, a redirect to another origin (127.0.0.1). It was not followed, so the token was not sent there.',
    ]);
  });
});

describe('createCollection', () => {
  it('turns off following redirects for the whole collection', () => {
    expect(createCollection().toJSON().protocolProfileBehavior).toEqual({
      followRedirects: false,
    });
  });
});
