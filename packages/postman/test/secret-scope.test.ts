import { describe, expect, it } from 'vitest';
import { laceworkCollection, profileRequests } from './support/collections.js';
import { RUNNERS, runNewman } from './support/runners.js';
import { sharedServers } from './support/servers.js';

// Iteration data overrides the environment. A data file (often a CSV from the repository) must
// not be able to move the secret that the environment (often a CI secret) holds: the secret goes
// only to a lw_base_url set in the same scope as lw_secret or in one it overrides.
const { emu, elsewhere, key } = await sharedServers();

describe.each(RUNNERS)('$name: a lw_base_url that overrides the secret’s scope', ({ run }) => {
  it('from the data file, over an environment holding the secret: refused, the secret goes nowhere', async () => {
    const result = await run({
      collection: laceworkCollection(profileRequests(2)),
      envVar: { lw_base_url: emu.url, lw_key_id: key().keyId, lw_secret: key().secret },
      // Another host, vouched for in the data file itself: the environment never chose it.
      iterationData: { lw_base_url: elsewhere.url, lw_allow_any_host: 'true' },
    });

    expect(elsewhere.hits).toEqual([]);
    expect(emu.requests()).toEqual([]);
    expect(result.failures).toEqual([
      expect.stringMatching(
        /^Lacework auth: `lw_base_url` is set in the iteration data, which overrides the environment where `lw_secret` is set\. The secret goes only to a `lw_base_url` set in the same place as `lw_secret` \(or in a scope it overrides\)\. .*The request was not sent\.$/,
      ),
      expect.stringContaining('which overrides the environment where `lw_secret` is set'),
    ]);
    expect(result.statuses.every((status) => status === undefined)).toBe(true);
    expect(`${result.output}${result.junit}`).not.toContain(key().secret);
  });
});

describe('newman: where lw_base_url may come from, given where lw_secret is', () => {
  function runWith(input: {
    envVar: Record<string, string>;
    iterationData: Record<string, string>;
  }) {
    return runNewman({ collection: laceworkCollection(profileRequests(1)), ...input });
  }

  it('secret in the data file, lw_base_url in the environment (the README’s setup): works', async () => {
    const result = await runWith({
      envVar: { lw_base_url: emu.url, lw_key_id: key().keyId },
      iterationData: { lw_secret: key().secret },
    });
    expect(result.failures).toEqual([]);
    expect(result.statuses).toEqual([200]);
  });

  it('both in the data file, over another lw_base_url in the environment: works (per-iteration accounts)', async () => {
    const result = await runWith({
      envVar: { lw_base_url: elsewhere.url, lw_key_id: key().keyId },
      iterationData: { lw_base_url: emu.url, lw_secret: key().secret },
    });
    expect(result.failures).toEqual([]);
    expect(result.statuses).toEqual([200]);
    expect(elsewhere.hits).toEqual([]);
  });

  it('secret in the environment, lw_base_url only in the collection variables: works', async () => {
    const collection: Record<string, unknown> = laceworkCollection(profileRequests(1));
    const variable = (collection.variable as { key: string; value: string }[]).map((v) =>
      v.key === 'lw_base_url' ? { ...v, value: emu.url } : v,
    );
    const result = await runNewman({
      collection: { ...collection, variable },
      envVar: { lw_key_id: key().keyId, lw_secret: key().secret },
    });
    expect(result.failures).toEqual([]);
    expect(result.statuses).toEqual([200]);
  });
});
