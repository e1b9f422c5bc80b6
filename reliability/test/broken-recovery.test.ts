// The suite must fail when recovery is broken. These tests break it for real, through public
// options of the same providers the suite uses, run the same checks, and expect them to object:
// retries off (`retry: 0`) turns recovered cells of the fault matrix into failures, and no
// refresh ahead of expiry (`refreshWindow: 0`) makes the soak send expired tokens to Lacework.
import { describe, expect, it } from 'vitest';
import { FAULTS } from './support/faults.js';
import { matrixTable, runMatrix } from './support/run-matrix.js';
import { refusedTokensBound, runSoak, soakProblems } from './support/soak.js';

it('with retries off, the fault matrix reports the cells that recover by retrying as failures', async () => {
  const retried = FAULTS.filter((f) =>
    ['token 500', 'token 503', 'token reset', 'api 500', 'api reset'].includes(f.name),
  );
  const checked = await runMatrix({
    consumers: ['core', 'route', 'proxy'],
    faults: retried,
    persistent: [false],
    overrides: { retry: 0 },
  });
  console.log(`\nFault matrix with retry: 0 (✗ = caught)\n${matrixTable(checked)}`);
  const failed = checked.filter((c) => !c.ok).map((c) => `${c.fault.name} × ${c.consumer}`);
  // Every cell whose documented recovery is a retry inside the call: token faults everywhere,
  // API faults in the client and in the route's req.lacework.client (which honours laceworkAuth's
  // `retry` since the fix of test/express-client-options.test.ts). The proxy passes API faults on
  // by design.
  expect(failed).toEqual([
    'token 500 × core',
    'token 500 × route',
    'token 500 × proxy',
    'token 503 × core',
    'token 503 × route',
    'token 503 × proxy',
    'token reset × core',
    'token reset × route',
    'token reset × proxy',
    'api 500 × core',
    'api 500 × route',
    'api reset × core',
    'api reset × route',
  ]);
});

// Lacework 300 ms away: a token handed out with less than 300 ms left expires on the way. With a
// refresh window, tokens stop being handed out that long before expiry; with `refreshWindow: 0`
// they are used to their last millisecond. The window here is 2 s, wider than the 1 s default for
// 5 s tokens, so that the control measures the refresh rule rather than how long a request can
// sit in the event loop of a loaded 2-core machine (the default leaves it 700 ms).
describe('Lacework 300 ms away, 5 s tokens', () => {
  it('with a refresh window, no more than a stray expired token reaches Lacework', async () => {
    const report = await runSoak({
      seconds: 12,
      latencyMs: 300,
      overrides: { refreshWindow: 2000 },
    });
    expect(report.requests).toBeGreaterThan(200);
    expect(report.authFailures).toEqual([]);
    expect(report.tokenFaults).toBe(0);
    expect(report.refusedTokens).toBeLessThanOrEqual(refusedTokensBound(report.requests, false));
  });

  it('with no refresh ahead of expiry (refreshWindow: 0), the soak reports expired tokens', async () => {
    const report = await runSoak({ seconds: 12, latencyMs: 300, overrides: { refreshWindow: 0 } });
    expect(report.tokenFaults).toBe(0);
    const problems = soakProblems(report);
    console.log(`\nSoak with refreshWindow: 0 → ${JSON.stringify(problems)}`);
    expect(problems.some((p) => p.includes('reached Lacework with an expired token'))).toBe(true);
  });
});
