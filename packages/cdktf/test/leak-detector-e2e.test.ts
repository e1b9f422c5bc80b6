import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runSavedPlan } from './support/artifacts.js';
import { synthCdktnStack } from './support/cdktn-stack.js';
import { useE2e } from './support/e2e.js';
import { editStackJson } from './support/edit-json.js';
import { synthExampleStack } from './support/stacks.js';

// The leak search of default-mode-e2e and ephemeral-mode-e2e (e2e.leaks: collectArtifacts + findLeaks)
// finds secrets where they are: stacks that do store the secret make it report them. That is
// what the opt-in hashicorp/http mode does (the secret is a data source argument, and a
// variable), and what a provider block fed from a plain variable would do.

const e2e = useE2e();

describe('what the leak search finds', () => {
  it('the http-data-source mode stores the secret and the token, as its README says', {
    timeout: 300_000,
  }, async () => {
    const stackDir = synthCdktnStack(join(e2e.outdir, 'http'));
    const workspace = e2e.workspace(stackDir);
    const run = await runSavedPlan(workspace, e2e.vars());
    expect(run.failed?.stderr ?? '').toBe('');
    const { secret, tokens } = e2e.leaks(workspace, run.runs);
    expect(secret).toEqual(
      expect.arrayContaining([
        // data.http.lacework's request_headers (X-LW-UAKS), in the state and its snapshot in the plan
        'the secret in terraform.tfstate',
        'the secret in tfplan:tfstate',
        // the value of var.lacework_secret, which every saved plan records
        'the secret in tfplan:tfplan',
        // show -json prints sensitive values in clear
        'the secret in terraform show -json (stdout)',
        'the secret in terraform show -json tfplan (stdout)',
      ]),
    );
    // ... but never in what plan and apply print.
    expect(secret.filter((place) => /terraform (init|plan|apply)/.test(place))).toEqual([]);
    // The token: response_body, in the state and the plan.
    expect(tokens).toEqual(
      expect.arrayContaining(['a token in terraform.tfstate', 'a token in tfplan:tfstate']),
    );
  });

  it('a default-mode stack broken to pass the secret from a plain variable leaks it into the saved plan', {
    timeout: 300_000,
  }, async () => {
    const stackDir = await synthExampleStack(join(e2e.outdir, 'broken'), { mode: 'data-source' });
    const workspace = e2e.workspace(stackDir);
    // The bug: key_id and secret in the provider block, from ordinary (sensitive) variables.
    expect(
      editStackJson(workspace.dir, (config) => {
        config.variable.lacework_key_id = { type: 'string' };
        config.variable.lacework_secret = { type: 'string', sensitive: true };
        const [provider] = config.provider['lacework-auth'];
        provider.key_id = '${var.lacework_key_id}';
        provider.secret = '${var.lacework_secret}';
        return 2;
      }),
    ).toBe(2);
    const { LW_API_KEY: _key, LW_API_SECRET: _secret, ...env } = e2e.providerEnv();
    const run = await runSavedPlan(workspace, { ...env, ...e2e.vars() });
    // Everything works, so only the search can tell: the plan file records every variable.
    expect(run.failed?.stderr ?? '').toBe('');
    expect(run.outputs?.username?.value).toBe(`emulator-user@${e2e.key.account}.example`);
    const leaks = e2e.leaks(workspace, run.runs).secret;
    expect(leaks).toContain('the secret in tfplan:tfplan');
    // Neither the state nor the plan's state snapshot: provider configuration is never stored.
    expect(leaks).not.toContain('the secret in terraform.tfstate');
    expect(leaks).not.toContain('the secret in tfplan:tfstate');
  });
});
