import { expect, it } from 'vitest';
import { runStack, tokenRunProblems, useE2e } from './support/e2e.js';
import { editStackJson, type Json, rewriteStrings } from './support/edit-json.js';
import { describeStackVariants } from './support/stacks.js';

// Proof that the e2e verdict (tokenRunProblems) catches a broken construct: each case breaks the
// synthesized JSON the way a bug in LaceworkAccessToken would, runs it under Terraform, and
// expects the verdict to name the failure. The unbroken stacks pass the same verdict in
// token-e2e.test.ts.

const e2e = useE2e();

interface Breakage {
  name: string;
  /** Breaks the stack in place; returns how many places it changed (0 = nothing to break). */
  apply(config: Json): number;
  /** A problem the verdict must report. */
  expected: RegExp;
}

const breakages: Breakage[] = [
  {
    name: 'wrong secret header name (X-LW-UAKX)',
    apply(config) {
      let changed = 0;
      for (const source of Object.values(config.data.http) as Json[]) {
        const headers = source.request_headers;
        if (headers && 'X-LW-UAKS' in headers) {
          headers['X-LW-UAKX'] = headers['X-LW-UAKS'];
          delete headers['X-LW-UAKS'];
          changed++;
        }
      }
      return changed;
    },
    expected: /terraform plan exited 1: .*Resource postcondition failed/s,
  },
  {
    name: 'wrong JSON path for the token (.expiresAt)',
    apply: (config) =>
      rewriteStrings(config, (text) =>
        text.replace(/response_body\)\.token\b/g, 'response_body).expiresAt'),
      ),
    // Terraform sends the wrong value as the bearer token: the emulator refuses it.
    expected: /UserProfile was not answered 200 \(statuses: 403/,
  },
  {
    name: 'token not marked sensitive',
    apply(config) {
      let changed = rewriteStrings(config, (text) =>
        text.replace(/sensitive\((jsondecode\([^)]*\)\.token)\)/g, '$1'),
      );
      for (const output of Object.values(config.output ?? {}) as Json[]) {
        if (output.sensitive) {
          delete output.sensitive;
          changed++;
        }
      }
      return changed;
    },
    expected: /terraform plan printed a token[\s\S]*terraform apply printed a token/,
  },
];

describeStackVariants(e2e, (stackDir) => {
  it.each(breakages)('the e2e verdict catches: $name', { timeout: 60_000 }, async (breakage) => {
    const workspace = e2e.workspace(stackDir());
    expect(editStackJson(workspace.dir, breakage.apply)).toBeGreaterThan(0);
    const since = e2e.emu.requests().length;
    const run = await runStack(workspace, e2e.vars());
    const problems = tokenRunProblems(e2e, run, since);
    expect(problems.join('\n')).toMatch(breakage.expected);
  });
});
