import { describe, expect, it } from 'vitest';
import { addLaceworkAuth } from '../src/inject.js';
import { runNewman } from './support/runners.js';
import { sharedServers } from './support/servers.js';

// The collection's own collection-level scripts must not be able to keep the Lacework script from
// running: not a syntax error in them, not a disabled event, not a script given by `src`. If it
// did not run, requests would go out with whatever {{lw_token}} resolves to: nothing for Lacework,
// and a token kept from an earlier run (store: environment) for every other host.
const { emu, elsewhere, key } = await sharedServers();

const SCHEMA = 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json';
const EARLIER_TOKEN = 'TOKEN-FROM-AN-EARLIER-RUN';

/**
 * The environment of a run: the key id, the foreign host, and a token an earlier run left in it
 * (store: environment, -e / --export-environment).
 */
const environment = () => ({
  lw_base_url: emu.url,
  lw_key_id: key().keyId,
  other: elsewhere.url,
  lw_token: EARLIER_TOKEN,
});

/** A team collection whose own collection-level pre-request event is `event`. */
function teamWith(event: Record<string, unknown>) {
  return {
    info: { name: 'Team', schema: SCHEMA },
    event: [{ listen: 'prerequest', ...event }],
    item: [
      { name: 'foreign', request: { method: 'GET', url: '{{other}}/hook' } },
      { name: 'lacework', request: { method: 'GET', url: '{{lw_base_url}}/api/v2/UserProfile' } },
    ],
  };
}

describe('newman: an injected collection whose own pre-request script cannot run', () => {
  it.each([
    ['a syntax error', { script: { type: 'text/javascript', exec: ['if (true) {'] } }],
    [
      'a disabled event',
      { disabled: true, script: { type: 'text/javascript', exec: ["console.log('old');"] } },
    ],
    [
      'a script given by src',
      { script: { src: 'https://scripts.example/pre.js', exec: ["console.log('src');"] } },
    ],
  ])('%s: the Lacework script still runs first', async (_what, event) => {
    const collection = addLaceworkAuth(teamWith(event), { store: 'environment' });
    const result = await runNewman({
      collection,
      envVar: environment(),
      iterationData: { lw_secret: key().secret },
    });

    expect(elsewhere.hits).toEqual([{ path: '/hook', authorization: undefined }]);
    expect(result.statuses).toEqual([200, 200]);
    expect(emu.stats()).toMatchObject({ exchanges: 1, apiCalls: 1 });
    expect(result.failures.filter((f) => f.startsWith('Lacework auth'))).toEqual([]);
  });
});

describe('newman: a collection whose Lacework script was removed', () => {
  it('sends no stored token to any host: the auth refers to a variable only the script sets', async () => {
    const injected = addLaceworkAuth(teamWith({ script: { exec: [] } }), { store: 'environment' });
    // The user deleted (or disabled) the Lacework events; the collection's auth stays.
    const collection = {
      ...injected,
      event: (injected.event as { script: { exec: string[] } }[]).filter(
        (event) => !event.script.exec.join('\n').includes('lacework-auth'),
      ),
    };
    expect(collection.event).toHaveLength(1);
    const result = await runNewman({
      collection,
      envVar: environment(),
    });
    expect(result.statuses).toHaveLength(2);
    expect(elsewhere.hits).toHaveLength(1);
    expect(elsewhere.hits[0]?.authorization ?? '').not.toContain(EARLIER_TOKEN);
    expect(emu.stats().exchanges).toBe(0);
  });
});
