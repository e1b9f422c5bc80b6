// Soak: a steady stream of requests through laceworkProxy() and a laceworkAuth() route, 5 s
// tokens, upstream faults on API calls and token exchanges (test/support/soak.ts). Duration:
// LW_SOAK_SECONDS (default 20 in `pnpm test`; `pnpm test:reliability` runs 60).
import { expect, it } from 'vitest';
import { runSoak, soakProblems } from './support/soak.js';

const seconds = Number(process.env.LW_SOAK_SECONDS ?? 20);

it(
  `soak: ${seconds} s under upstream faults, zero auth failures, exchanges as expected, heap flat`,
  async () => {
    const report = await runSoak({ seconds });
    const { heapMiB, ...rest } = report;
    console.log(
      `\nSoak ${seconds} s: ${JSON.stringify(rest)}\nheap MiB after GC: before ${heapMiB.before.toFixed(1)}, after ${heapMiB.after.toFixed(1)}, samples ${heapMiB.samples.map((m) => m.toFixed(1)).join(' ')}`,
    );
    expect(report.requests).toBeGreaterThan(seconds * 20);
    expect(report.apiFaults).toBeGreaterThan(0);
    expect(report.tokenFaults).toBeGreaterThan(0);
    expect(soakProblems(report)).toEqual([]);
  },
  (seconds + 60) * 1000,
);
