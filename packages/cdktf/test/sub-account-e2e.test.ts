import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { flat, runStack, tokenRunProblems, useE2e } from './support/e2e.js';
import { synthExampleStack } from './support/stacks.js';

// A sub-account travels as `Account-Name` on the token request and on API calls (the Go SDK
// sends it on both); the emulator acts on that account, and refuses one the key may not use.

const e2e = useE2e();

const synthExample = (name: string, subAccount: string) =>
  synthExampleStack(join(e2e.outdir, name), { subAccount, mode: 'http-data-source' });

describe('examples/cdktf-stack with a sub-account (http-data-source mode)', () => {
  it('exchanges and calls the API on the sub-account', { timeout: 60_000 }, async () => {
    const subAccount = e2e.key.subAccounts[0] as string;
    const stackDir = await synthExample('sub', subAccount);
    const since = e2e.emu.requests().length;
    const run = await runStack(e2e.workspace(stackDir), e2e.vars(), ['init', 'apply', 'output']);
    expect(tokenRunProblems(e2e, run, since)).toEqual([]);
    const requests = e2e.emu.requests().slice(since);
    expect(requests.map((r) => [r.route, r.status, r.headers['account-name'], r.account])).toEqual([
      ['token', 201, subAccount, subAccount],
      ['api', 200, subAccount, subAccount],
    ]);
  });

  it('fails at the token request, naming the sub-account, when the key may not use it', {
    timeout: 60_000,
  }, async () => {
    const stackDir = await synthExample('other-sub', 'someone-else');
    const run = await runStack(e2e.workspace(stackDir), e2e.vars(), ['init', 'plan']);
    const text = flat(run.failed as NonNullable<typeof run.failed>);
    expect(text).toContain('Resource postcondition failed');
    expect(text).toContain('answered HTTP 403');
    expect(text).toContain('the sub-account "someone-else"');
  });
});
