import { sharedEmulator } from '@lacework-auth/test-kit/vitest';
import { describe, expect, it } from 'vitest';
import { laceworkCollection, profileRequests } from './support/collections.js';
import { RUNNERS, type RunResult } from './support/runners.js';

// Canaries: if either shows up anywhere, the script (or our advice on how to run it) leaks.
const SECRET = '_CANARY0secret0that0must0never0appear';
const WRONG_SECRET = '_CANARY0wrong0secret0also0never0shown';

const emu = await sharedEmulator({ keys: [{ secret: SECRET }] });

function keyId(): string {
  return emu.keys[0]?.keyId ?? '';
}

/** Every token-looking string in `text` that the emulator issued. */
function issuedTokensIn(text: string): string[] {
  return (text.match(/[A-Za-z0-9._-]{40,}/g) ?? []).filter((t) => emu.isIssuedToken(t));
}

function expectNoCanary(result: RunResult, canary: string) {
  expect(result.output).not.toContain(canary);
  expect(result.junit).not.toContain(canary);
  expect(result.json).not.toContain(canary);
  expect(result.failures.join('\n')).not.toContain(canary);
}

describe.each(RUNNERS)('$name: the secret stays out of output and reports', ({ name, run }) => {
  it('a successful run (secret as iteration data) shows neither the secret nor the token', async () => {
    const result = await run({
      collection: laceworkCollection(profileRequests(3)),
      envVar: { lw_base_url: emu.url, lw_key_id: keyId() },
      iterationData: { lw_secret: SECRET },
    });

    expect(result.failures).toEqual([]);
    expect(emu.stats().exchanges).toBe(1);
    expectNoCanary(result, SECRET);
    // The script logs the exchange but never the token.
    expect(result.output).toContain('Lacework auth: exchanged API key');
    expect(issuedTokensIn(result.output)).toEqual([]);
  });

  it('a rejected secret is not echoed in the failure, the output or the reports', async () => {
    const result = await run({
      collection: laceworkCollection(profileRequests(1)),
      envVar: { lw_base_url: emu.url, lw_key_id: keyId() },
      iterationData: { lw_secret: WRONG_SECRET },
    });

    expect(result.failures).toContainEqual(
      expect.stringContaining('Lacework rejected the API key'),
    );
    expect(result.output).not.toContain(WRONG_SECRET);
    expect(result.junit).not.toContain(WRONG_SECRET);
    expect(result.failures.join('\n')).not.toContain(WRONG_SECRET);
    if (name === 'postman-cli') {
      expect(result.json).not.toContain(WRONG_SECRET);
    } else {
      // newman's JSON reporter records every request a script sends, headers included. When
      // the exchange fails the item sends nothing, so the token request (X-LW-UAKS header) is
      // what stays in the item's execution. It is the only place the secret appears.
      const report = JSON.parse(result.json) as {
        run: { executions: { request: { header?: { key: string; value: string }[] } }[] };
      };
      const headers = report.run.executions.flatMap((e) => e.request.header ?? []);
      expect(headers.filter((h) => h.value === WRONG_SECRET).map((h) => h.key)).toEqual([
        'X-LW-UAKS',
      ]);
      for (const header of headers) if (header.key === 'X-LW-UAKS') header.value = '';
      expect(JSON.stringify(report)).not.toContain(WRONG_SECRET);
    }
  });
});

describe('secret passed with --env-var', () => {
  it('Postman CLI: not in its output or its JSON/JUnit reports', async () => {
    const result = await RUNNERS[1].run({
      collection: laceworkCollection(profileRequests(2)),
      envVar: { lw_base_url: emu.url, lw_key_id: keyId(), lw_secret: SECRET },
    });

    expect(result.failures).toEqual([]);
    expectNoCanary(result, SECRET);
  });

  it('newman: only in the JSON report’s copy of the input environment (newman dumps it)', async () => {
    const result = await RUNNERS[0].run({
      collection: laceworkCollection(profileRequests(2)),
      envVar: { lw_base_url: emu.url, lw_key_id: keyId(), lw_secret: SECRET },
    });

    expect(result.failures).toEqual([]);
    expect(result.output).not.toContain(SECRET);
    expect(result.junit).not.toContain(SECRET);
    const report = JSON.parse(result.json) as {
      environment: { values: { key: string; value: string }[] };
    };
    expect(report.environment.values.find((v) => v.key === 'lw_secret')?.value).toBe(SECRET);
    const { environment: _dump, ...rest } = report;
    expect(JSON.stringify(rest)).not.toContain(SECRET);
  });
});

describe('newman: where the cached token shows up in the JSON report', () => {
  type Report = Record<'collection' | 'environment' | 'globals', unknown>;
  const tokensIn = (value: unknown) => issuedTokensIn(JSON.stringify(value ?? null));

  it('collection store (default): not in the variable sections; environment store: in its section', async () => {
    const input = {
      envVar: { lw_base_url: emu.url, lw_key_id: keyId() },
      iterationData: { lw_secret: SECRET },
    };
    const byDefault = await RUNNERS[0].run({
      collection: laceworkCollection(profileRequests(1)),
      ...input,
    });
    expect(byDefault.failures).toEqual([]);
    const report = JSON.parse(byDefault.json) as Report;
    expect(tokensIn(report.collection)).toEqual([]);
    expect(tokensIn(report.environment)).toEqual([]);
    expect(tokensIn(report.globals)).toEqual([]);

    const shared = await RUNNERS[0].run({
      collection: laceworkCollection(profileRequests(1), { store: 'environment' }),
      ...input,
    });
    expect(shared.failures).toEqual([]);
    expect(tokensIn((JSON.parse(shared.json) as Report).environment)).toHaveLength(1);
  });
});
