import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runSavedPlan } from './support/artifacts.js';
import { synthEphemeralStack } from './support/cdktn-ephemeral-stack.js';
import { useE2e } from './support/e2e.js';

// The ephemeral mode (CDK Terrain, Terraform >= 1.10) under real Terraform 1.11: the token from
// ephemeral "lacework-auth_token" configures the Lacework provider (api_token), whose
// lacework_user_profile data source calls the API. Neither the secret nor the token is stored.

const e2e = useE2e({ laceworkProvider: true });
let stackDir: string;
beforeAll(async () => {
  stackDir = synthEphemeralStack(join(e2e.outdir, 'ephemeral'));
}, 120_000);

describe('ephemeral "lacework-auth_token" configuring the lacework provider (cdktn)', () => {
  it('init, plan -out, apply, show -json: the API call works, and neither secret nor token is anywhere', {
    timeout: 300_000,
  }, async () => {
    const since = e2e.emu.requests().length;
    const before = e2e.emu.stats().exchanges;
    const workspace = e2e.workspace(stackDir);
    const run = await runSavedPlan(workspace, e2e.providerEnv());
    expect(run.failed?.stderr ?? '').toBe('');
    expect(run.runs.map((r) => r.code)).toEqual([0, 0, 0, 0, 0, 0]);

    // The Lacework provider called UserProfile with the token (bare, as the Go SDK sends it).
    expect(run.outputs?.username?.value).toBe(`emulator-user@${e2e.key.account}.example`);
    const calls = e2e.emu
      .requests()
      .slice(since)
      .filter((request) => request.path === '/api/v2/UserProfile');
    // The data source was read at plan time; the saved plan's apply reuses that read.
    expect(calls.map((call) => call.status)).toEqual([200]);
    // Terraform opened the ephemeral resource at plan and again at apply: one exchange, cached.
    expect(e2e.emu.stats().exchanges - before).toBe(1);
    const plan = run.runs[1]?.stdout ?? '';
    expect(plan).toContain('ephemeral.lacework-auth_token.lacework: Opening...');
    expect(run.runs[2]?.stdout).toContain('ephemeral.lacework-auth_token.lacework: Opening...');

    const leaks = e2e.leaks(workspace, run.runs);
    expect(leaks.searched).toEqual(
      expect.arrayContaining(['terraform.tfstate', 'tfplan:tfplan', 'tfplan:tfstate']),
    );
    expect(leaks.secret).toEqual([]);
    expect(leaks.tokens).toEqual([]);
  });
});
