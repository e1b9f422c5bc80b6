import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { synthCdktnStack } from './support/cdktn-stack.js';
import { runStack, useE2e } from './support/e2e.js';

// core caps a token's expiry at the earlier of Lacework's expiresAt and request time +
// expiryTime, so a server clock far ahead cannot stretch a token's life. The http-data-source
// mode computes the same in Terraform, with the plan's timestamp as the request time.

const e2e = useE2e();

describe('http-data-source mode: expiresAt capped like core', () => {
  it('an expiresAt far beyond expiryTime becomes plan time + expiryTime', {
    timeout: 300_000,
  }, async () => {
    const stackDir = synthCdktnStack(join(e2e.outdir, 'capped'));
    e2e.emu.inject({
      route: 'token',
      status: 201,
      body: { token: 'F'.repeat(112), expiresAt: '2099-01-01T00:00:00.000Z' },
      times: Number.POSITIVE_INFINITY,
    });
    const started = Math.floor(Date.now() / 1000) * 1000;
    const run = await runStack(e2e.workspace(stackDir), e2e.vars(), ['init', 'apply', 'output']);
    const finished = Date.now();
    expect(run.failed?.stderr ?? '').toBe('');
    const expiresAt = Date.parse(String(run.outputs?.expires_at?.value));
    // The stack asks for 600 s; plantimestamp() lies between start and finish.
    expect(expiresAt).toBeGreaterThanOrEqual(started + 600_000);
    expect(expiresAt).toBeLessThanOrEqual(finished + 600_000);
  });
});
