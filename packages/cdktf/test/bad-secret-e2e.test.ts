import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { flat, runStack, useE2e, WRONG_SECRET } from './support/e2e.js';
import { describeStackVariants } from './support/stacks.js';

// A wrong secret must stop Terraform at the token request, with the construct's postcondition
// message, and without printing the secret.

const e2e = useE2e();

/** The postcondition message of the token data source, as synthesized. */
function tokenErrorMessage(stackDir: string): string {
  const config = JSON.parse(readFileSync(join(stackDir, 'cdk.tf.json'), 'utf8'));
  const sources = Object.values(config.data.http) as {
    request_headers?: Record<string, string>;
    lifecycle?: { postcondition?: { error_message: string }[] };
  }[];
  const token = sources.find((source) => source.request_headers?.['X-LW-UAKS']);
  const message = token?.lifecycle?.postcondition?.[0]?.error_message;
  if (!message) throw new Error('no token data source with a postcondition in the stack');
  return message;
}

describeStackVariants(e2e, (stackDir) => {
  it('fails plan and apply with the postcondition message for a wrong secret', {
    timeout: 60_000,
  }, async () => {
    const exchanges = e2e.emu.stats().exchanges;
    const workspace = e2e.workspace(stackDir());
    const vars = e2e.vars({ secret: WRONG_SECRET });
    const planned = await runStack(workspace, vars, ['init', 'plan']);
    const applied = await runStack(workspace, vars, ['apply']);
    // The message's fixed opening ("Lacework did not issue an API access token: POST "), then
    // its 401 branch.
    const opening = tokenErrorMessage(stackDir()).split('${')[0]?.trim() ?? '';
    expect(opening.length).toBeGreaterThan(20);
    for (const run of [planned, applied]) {
      expect(run.failed?.args[0]).toMatch(/^(plan|apply)$/);
      const text = flat(run.failed as NonNullable<typeof run.failed>);
      expect(text).toContain('Error: Resource postcondition failed');
      expect(text).toContain(opening);
      expect(text).toContain(`${e2e.emu.url}/api/v2/access/tokens answered HTTP 401`);
      expect(text).toContain('The API key was rejected.');
      expect(text).not.toContain(WRONG_SECRET);
    }
    expect(e2e.emu.stats().exchanges).toBe(exchanges);
  });
});
