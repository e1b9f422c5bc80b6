import { afterEach, expect, it } from 'vitest';
import { flat, runStack, tokenRunProblems, useE2e } from './support/e2e.js';
import { describeStackVariants } from './support/stacks.js';

// hashicorp/http retries through go-retryablehttp: a 5xx from the token endpoint is retried per
// the construct's retry block, and Terraform still gets a token.

const e2e = useE2e();
afterEach(() => e2e?.emu.clearFaults());

const tokenStatuses = (since: number) =>
  e2e.emu
    .requests()
    .slice(since)
    .filter((request) => request.route === 'token')
    .map((request) => request.status);

describeStackVariants(e2e, (stackDir) => {
  it('retries a 503 from the token endpoint and still gets a token', {
    timeout: 60_000,
  }, async () => {
    e2e.emu.inject({ route: 'token', status: 503, times: 1 });
    const since = e2e.emu.requests().length;
    const reads = e2e.provider.calls.length;
    const run = await runStack(e2e.workspace(stackDir()), e2e.vars(), ['init', 'apply', 'output']);
    expect(tokenRunProblems(e2e, run, since)).toEqual([]);
    expect(tokenStatuses(since)).toEqual([503, 201]);
    const attempts = e2e.provider.calls
      .slice(reads)
      .filter((call) => call.rpc === 'ReadDataSource')
      .map((call) => call.attempts);
    expect(attempts).toContain(2);
  });

  it('gives up with the provider’s error when every attempt gets a 5xx', {
    timeout: 60_000,
  }, async () => {
    // Retry-After: 0 on a 503 makes go-retryablehttp retry at once, so all attempts run quickly.
    e2e.emu.inject({
      route: 'token',
      status: 503,
      headers: { 'Retry-After': '0' },
      times: Infinity,
    });
    const since = e2e.emu.requests().length;
    const run = await runStack(e2e.workspace(stackDir()), e2e.vars(), ['init', 'plan']);
    const statuses = tokenStatuses(since);
    expect(statuses.length).toBeGreaterThan(1);
    expect(new Set(statuses)).toEqual(new Set([503]));
    const text = flat(run.failed as NonNullable<typeof run.failed>);
    expect(text).toContain('Error: Error making request');
    expect(text).toContain(`giving up after ${statuses.length} attempt(s)`);
    expect(text).not.toContain(e2e.key.secret);
  });
});
