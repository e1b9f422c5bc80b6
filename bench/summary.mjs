// Prints every benchmark's headline next to its target, from bench/results/*.json, as a Markdown
// table (the root README's "Benchmarks" section is this output) plus the machine it came from.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { resultsDir } from './lib/support.mjs';

const read = (name) => {
  const file = join(resultsDir, `${name}.json`);
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : undefined;
};
const rows = [];
const misses = [];
const row = (what, result, target, met) => {
  rows.push([what, result, target, met === undefined ? '—' : met ? 'met' : '**missed**']);
  if (met === false) misses.push(`${what}: ${result} (target ${target})`);
};
const f = (n, digits = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

const token = read('token');
if (token) {
  const c = token.cached;
  row(
    'cached `getToken()` vs `Map.get` + `Date.now()` floor',
    `${f(c.getTokenNs)} ns vs ${f(c.floorNs, 1)} ns: ${f(c.ratio, 1)}× (${f(c.ratioAwaited, 1)}× an awaited floor of ${f(c.floorAwaitedNs)} ns)`,
    '≤ 20×, < 1 µs',
    c.met,
  );
  for (const cold of token.cold) {
    row(
      `${f(cold.callers)} concurrent cold \`getToken()\` callers`,
      `${cold.exchanges} exchange(s)`,
      '1',
      cold.exchanges === 1,
    );
  }
}
const day = read('day');
if (day) {
  const h = day.settings.simulatedHours;
  row(
    `simulated ${h} h, 1 h tokens, ${day.settings.workers} callers every ${day.settings.stepMs / 1000} s: exchanges`,
    `core ${day.core.exchanges}, refresh count ${day.refreshCount}, official SDK model ${day.sdk.exchanges}, naive ${f(day.naive.exchanges)}; expired tokens handed out: core ${day.core.expiredTokensUsed}`,
    'close to the refresh count',
    day.core.exchanges <= day.refreshCount * 1.25 + 1 && day.core.expiredTokensUsed === 0,
  );
}
const newman = read('newman');
if (newman) {
  row(
    `newman, ${newman.requests}-request collection`,
    `${newman.exchanges} exchange(s); +${f(newman.addedMsPerRequest, 1)} ms per request over no script (+${f(newman.overSandboxMsPerRequest, 1)} ms over one-line scripts)`,
    '1 exchange',
    newman.exchanges === 1,
  );
}
const cdktf = read('cdktf');
if (cdktf) {
  row(
    'CDKTF synth, stack with `LaceworkAccessToken` vs a bare `http` data source',
    `${f(cdktf.constructMs, 1)} ms vs ${f(cdktf.bareMs, 1)} ms: ${f(cdktf.ratio, 2)}×`,
    '≤ 1.1×',
    cdktf.met,
  );
}
const cold = read('cold-start');
if (cold) {
  row(
    "cold start: `import('@lacework-auth/core')` vs `import('ky')`",
    `${f(cold.cold.core.importMs)} ms vs ${f(cold.cold.ky.importMs)} ms (whole process ${f(cold.cold.core.processMs)} vs ${f(cold.cold.ky.processMs)} ms)`,
    '—',
  );
  row(
    "installed size of core's production dependencies",
    `${cold.dependencies.map((d) => `${d.name} ${f(d.bytes / 1024)} KiB`).join(' + ')} = ${f(cold.depsBytes / 1024)} KiB (core's dist ${f(cold.coreDistBytes / 1024)} KiB)`,
    '—',
  );
}
const core = read('core');
if (core) {
  row(
    'core client vs a token exchange per call (`bench/core`)',
    `${f(core.throughput.clientCallsPerSecond / core.throughput.naiveCallsPerSecond, 2)}× the calls/s; calls before the 480/h limit ${core.endurance.client.served} vs ${core.endurance.naive.served}`,
    '—',
  );
  if (core.overhead) {
    row(
      'createLaceworkClient vs plain ky with a fixed header, same route (`bench/core`)',
      `${f(core.overhead.ratio, 2)} calls per CPU-second ratio (${f(core.overhead.clientCallsPerCpuSecond)} vs ${f(core.overhead.kyCallsPerCpuSecond)}); wall clock ${f(core.overhead.wallRatio, 2)}`,
      '≥ 0.95',
      core.overhead.ratio >= 0.95,
    );
  }
}
const express = read('express');
if (express?.comparisons) {
  for (const c of express.comparisons) {
    row(
      `${c.name} (\`bench/express\`)`,
      `${f(c.ratio, 3)} req/s ratio`,
      `≥ ${c.target}`,
      c.ratio >= c.target,
    );
  }
}

const machine = (token ?? day ?? newman ?? cdktf ?? cold)?.machine;
const lines = [
  '| benchmark | result | target | |',
  '| --- | --- | --- | --- |',
  ...rows.map((r) => `| ${r.join(' | ')} |`),
];
console.log(`\n${lines.join('\n')}\n`);
if (machine) {
  console.log(
    `Machine: ${machine.cpus} × ${machine.model}, ${machine.memoryGiB} GiB, ${machine.platform}, Node ${machine.node}, load average ${machine.loadavg.join(' / ')} at the start of the token benchmark.`,
  );
}
console.log(
  misses.length ? `\nMissed:\n${misses.map((m) => `- ${m}`).join('\n')}` : '\nAll targets met.',
);
