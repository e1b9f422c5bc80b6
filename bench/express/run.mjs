// Side-by-side benchmark of @lacework-auth/express, one run, loopback only:
//   express + laceworkAuth() vs bare express            (target: req/s ratio >= 0.95)
//   laceworkProxy() vs http-proxy-middleware 3.x, same upstream (target: ratio >= 1.0, p99 no worse)
// Cases are interleaved, alternating the order each round, to spread machine noise evenly.
// Options: --duration (s per case per round, default 3), --rounds (default 6), --connections
// (default 32), e.g. `pnpm bench -- --rounds 5`. Results: bench/results/express.json.
import { fileURLToPath } from 'node:url';
import { benchOptions, forkReady, writeResult } from '../lib/support.mjs';
import { load } from './deps.mjs';

const { duration, rounds, connections, cases } = benchOptions({
  duration: 3,
  rounds: 6,
  connections: 32,
  cases: 'bare,auth,authToken,hpm,proxy',
});
const autocannon = await load('autocannon');
const here = (file) => fileURLToPath(new URL(file, import.meta.url));

const start = (script, args) => forkReady(here(script), args);

function cannon(url) {
  return new Promise((resolve, reject) => {
    autocannon({ url, connections, duration, pipelining: 1 }, (error, result) =>
      error ? reject(error) : resolve(result),
    );
  });
}

const ALL_CASES = [
  { name: 'bare', label: 'express (bare)', path: '/hello' },
  { name: 'auth', label: 'express + laceworkAuth (route does not use it)', path: '/hello' },
  { name: 'authToken', label: 'express + laceworkAuth + getToken() per request', path: '/hello' },
  { name: 'hpm', label: 'http-proxy-middleware 3.x', path: '/lw/UserProfile' },
  { name: 'proxy', label: 'laceworkProxy', path: '/lw/UserProfile' },
];
const wanted = new Set(cases.split(','));
const CASES = ALL_CASES.filter((c) => wanted.has(c.name));

const up = start('upstream.mjs');
const { url: upstreamUrl, token } = await up.ready;
const servers = CASES.map((c) => ({
  name: c.name,
  ...start('servers.mjs', [upstreamUrl, token, c.name]),
}));
const urls = {};
for (const server of servers) urls[server.name] = (await server.ready).url;
const children = Object.fromEntries(servers.map((server) => [server.name, server.child]));
/** Microseconds of CPU (user + system) the server process of `name` has used so far. */
function cpuOf(name) {
  return new Promise((resolve) => {
    const child = children[name];
    const onMessage = (message) => {
      if (message?.cpu) {
        child.off('message', onMessage);
        resolve(message.cpu.user + message.cpu.system);
      }
    };
    child.on('message', onMessage);
    child.send('cpu');
  });
}

const runs = Object.fromEntries(CASES.map((c) => [c.name, []]));
try {
  // Warm-up: JIT, keep-alive pools, the one token exchange.
  for (const c of CASES) {
    await new Promise((resolve, reject) =>
      autocannon({ url: urls[c.name] + c.path, connections, duration: 1 }, (e, r) =>
        e ? reject(e) : resolve(r),
      ),
    );
  }
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? CASES : [...CASES].reverse();
    for (const c of order) {
      const cpuBefore = await cpuOf(c.name);
      const result = await cannon(urls[c.name] + c.path);
      const cpuPerRequest = ((await cpuOf(c.name)) - cpuBefore) / result.requests.total;
      const bad = result.non2xx + result.errors + result.timeouts;
      if (bad > 0) throw new Error(`${c.name}: ${bad} failed requests (non-2xx/errors/timeouts)`);
      runs[c.name].push({
        reqPerSec: result.requests.average,
        p99: result.latency.p99,
        p50: result.latency.p50,
        cpuPerRequest,
      });
      process.stderr.write(
        `  round ${round + 1} ${c.name}: ${Math.round(result.requests.average)} req/s, p99 ${result.latency.p99} ms, ${cpuPerRequest.toFixed(0)} µs CPU/request\n`,
      );
    }
  }
} finally {
  for (const server of servers) server.child.disconnect();
  up.child.disconnect();
}

const mean = (values) => values.reduce((a, b) => a + b, 0) / values.length;
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const summary = Object.fromEntries(
  CASES.map((c) => [
    c.name,
    {
      label: c.label,
      reqPerSec: Math.round(mean(runs[c.name].map((r) => r.reqPerSec))),
      p50: median(runs[c.name].map((r) => r.p50)),
      p99: median(runs[c.name].map((r) => r.p99)),
      cpuPerRequest: Math.round(median(runs[c.name].map((r) => r.cpuPerRequest))),
      rounds: runs[c.name],
    },
  ]),
);
// The machine is shared, so throughput drifts between rounds: compare cases within each round
// (they ran back to back) and report the median of those per-round ratios.
const perRound = (a, b) =>
  runs[a].map((r, i) => Number((r.reqPerSec / runs[b][i].reqPerSec).toFixed(3)));
const ratio = (a, b) => Number(median(perRound(a, b)).toFixed(3));
const PAIRS = [
  { name: 'laceworkAuth vs bare express', a: 'auth', b: 'bare', target: 0.95 },
  { name: 'laceworkAuth + getToken() vs bare express', a: 'authToken', b: 'bare', target: 0.95 },
  {
    name: 'laceworkProxy vs http-proxy-middleware',
    a: 'proxy',
    b: 'hpm',
    target: 1.0,
    p99NoWorse: true,
  },
];
const comparisons = PAIRS.filter(({ a, b }) => summary[a] && summary[b]).map(
  ({ name, a, b, target, p99NoWorse }) => {
    const p99 = p99NoWorse ? { [a]: summary[a].p99, [b]: summary[b].p99 } : undefined;
    const value = ratio(a, b);
    return {
      name,
      ratio: value,
      perRound: perRound(a, b),
      target,
      p99,
      met: value >= target && (!p99NoWorse || summary[a].p99 <= summary[b].p99),
      // Server CPU per request barely depends on how busy the rest of the machine is.
      cpuPerRequest: { [a]: summary[a].cpuPerRequest, [b]: summary[b].cpuPerRequest },
    };
  },
);

const pad = (text, n) => String(text).padEnd(n);
console.log(
  `\n${pad('case', 50)} ${pad('req/s', 8)} ${pad('p50 ms', 7)} ${pad('p99 ms', 7)} CPU µs/req   (mean req/s; medians over ${rounds} rounds)`,
);
for (const c of CASES) {
  const s = summary[c.name];
  console.log(
    `${pad(s.label, 50)} ${pad(s.reqPerSec, 8)} ${pad(s.p50.toFixed(1), 7)} ${pad(s.p99.toFixed(1), 7)} ${s.cpuPerRequest}`,
  );
}
console.log('');
for (const c of comparisons) {
  const p99 = c.p99
    ? `, p99 ${Object.values(c.p99)
        .map((ms) => ms.toFixed(1))
        .join(' vs ')} ms`
    : '';
  const spread = `rounds ${Math.min(...c.perRound).toFixed(2)}-${Math.max(...c.perRound).toFixed(2)}`;
  const cpu = Object.entries(c.cpuPerRequest)
    .map(([name, us]) => `${name} ${us}`)
    .join(' vs ');
  console.log(
    `${pad(c.name, 45)} ratio ${c.ratio.toFixed(3)} (${spread}; target >= ${c.target}${c.p99 ? ', p99 no worse' : ''}${p99}) ${c.met ? 'met' : 'NOT met'}; CPU µs/req ${cpu}`,
  );
}

const out = await writeResult('express', {
  settings: { durationSeconds: duration, rounds, connections, pipelining: 1, interleaved: true },
  cases: summary,
  comparisons,
});
console.log(`\nwrote ${out}`);
