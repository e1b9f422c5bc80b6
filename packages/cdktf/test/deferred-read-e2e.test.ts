import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { synthCdktnStack } from './support/cdktn-stack.js';
import { runStack, tokenRunProblems, useE2e } from './support/e2e.js';
import { editStackJson, rewriteStrings } from './support/edit-json.js';

// When the token depends on something created by the same apply (LaceworkAccessToken's
// `dependsOn`), Terraform cannot read it at plan time and prints the planned read instead:
// URL, method, headers and body. That is where a secret would show if it were not sensitive.

const e2e = useE2e();

describe('a token read deferred to apply (dependsOn a new resource)', () => {
  it('shows the planned request with the secret redacted, then gets the token at apply', {
    timeout: 60_000,
  }, async () => {
    const stackDir = synthCdktnStack(join(e2e.outdir, 'gated'), { gated: true });
    const since = e2e.emu.requests().length;
    const run = await runStack(e2e.workspace(stackDir), e2e.vars());
    expect(tokenRunProblems(e2e, run, since)).toEqual([]);

    const plan = run.runs.find((r) => r.args[0] === 'plan');
    const text = plan?.stdout ?? '';
    expect(text).toMatch(/<= data "http" "lacework" \{[\s\S]*method\s+= "POST"/);
    // Terraform redacts exactly the sensitive parts: the secret header, the token header.
    expect(text).toMatch(/"X-LW-UAKS"\s+= \(sensitive value\)/);
    expect(text).toMatch(/"Content-Type"\s+= "application\/json"/);
    expect(text).toMatch(
      /<= data "http" "user_profile"[\s\S]*"Authorization"\s+= \(sensitive value\)/,
    );
    // The key id is not a secret (a plain variable): the planned body shows it.
    expect(text).toContain(`keyId      = "${e2e.key.keyId}"`);
    // Nothing was requested at plan time; apply made the one exchange.
    const exchanges = e2e.emu
      .requests()
      .slice(since)
      .filter((request) => request.route === 'token');
    expect(exchanges.map((r) => r.status)).toEqual([201]);
  });
});

describe('the verdict on a deferred read', () => {
  it('catches a secret that is not sensitive (Terraform then prints it in the plan)', {
    timeout: 60_000,
  }, async () => {
    const stackDir = synthCdktnStack(join(e2e.outdir, 'gated-broken'), { gated: true });
    const workspace = e2e.workspace(stackDir);
    const changed = editStackJson(workspace.dir, (config) => {
      delete config.variable.lacework_secret.sensitive;
      return (
        1 +
        rewriteStrings(config, (text) => text.replace(/sensitive\((var\.lacework_secret)\)/g, '$1'))
      );
    });
    expect(changed).toBeGreaterThan(1);
    const since = e2e.emu.requests().length;
    const run = await runStack(workspace, e2e.vars());
    expect(tokenRunProblems(e2e, run, since)).toContain('terraform plan printed the secret');
  });
});
