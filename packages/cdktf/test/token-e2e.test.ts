import { expect, it } from 'vitest';
import { runStack, tokenRunProblems, useE2e } from './support/e2e.js';
import { describeStackVariants } from './support/stacks.js';

// The synthesized stacks under real Terraform: init, plan, apply, output against the emulator.

const e2e = useE2e();

describeStackVariants(e2e, (stackDir) => {
  it('gets a token the emulator issued, calls UserProfile with it, and prints neither secret nor token', {
    timeout: 60_000,
  }, async () => {
    const since = e2e.emu.requests().length;
    const run = await runStack(e2e.workspace(stackDir()), e2e.vars());
    expect(tokenRunProblems(e2e, run, since)).toEqual([]);
    // plan and apply each read the data source: one exchange each, with the key from TF_VAR_*.
    const exchanges = e2e.emu
      .requests()
      .slice(since)
      .filter((request) => request.route === 'token');
    expect(exchanges.map((r) => [r.method, r.status, r.keyId])).toEqual([
      ['POST', 201, e2e.key.keyId],
      ['POST', 201, e2e.key.keyId],
    ]);
    // The body Terraform sent, and the expiry it got back for that lifetime.
    const body = exchanges[1]?.body as { keyId: string; expiryTime: number };
    expect(body).toEqual({ keyId: e2e.key.keyId, expiryTime: expect.any(Number) });
    const expiresAt = Date.parse(String(run.outputs?.expires_at?.value));
    const lifetime = (expiresAt - Date.parse(exchanges[1]?.time ?? '')) / 1000;
    expect(Math.abs(lifetime - body.expiryTime)).toBeLessThan(5);
  });
});
