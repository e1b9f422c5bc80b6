// Side-by-side benchmark of @lacework-auth/core against the script everyone writes by hand
// (POST /api/v2/access/tokens, then the API call, for every request), in one run, loopback only.
//   1. throughput: API calls per second, naive vs createLaceworkClient (rate limit off)
//   2. endurance:  API calls served before the 480-per-hour rate limit answers 429
//   3. burst:      1,000 concurrent getToken() calls → token exchanges
//   4. paced:      a 2,000-call script against Lacework's 480/hour limit (time scaled: one hour
//                  lasts --hour seconds): a naive loop that backs off blindly on 429 vs the client
//                  and its rate budget
//   5. overhead:   createLaceworkClient vs plain ky with a fixed Authorization header, same route
//                  (the client's own cost: token lookup, headers, retries, timeout, redirects)
// Rounds alternate the order of the two cases to spread machine noise evenly.
// Options: --requests (per case per round, default 300), --rounds (default 4), --concurrency (default 8),
// --only overhead (just the client-vs-ky row), --processes (fresh processes the overhead row is
// measured in, default 5; it reports their medians).
// Results: bench/results/core.json.
import { mkdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createLaceworkClient, createTokenProvider, memoryBudgetStore } from '@lacework-auth/core';
import { startEmulator } from '@lacework-auth/emulator';
import { startEmulatorProcess } from '../lib/emulator-process.mjs';
import {
  benchOptions,
  emulatorKeys,
  forkReady,
  median,
  resultHeader,
  resultsDir,
} from '../lib/support.mjs';

const args = benchOptions({
  requests: '300',
  rounds: '4',
  concurrency: '8',
  hour: '4',
  processes: '5',
  only: undefined,
});
// The ky that core itself uses, so both sides of the overhead row run the same ky.
const kyPath = createRequire(fileURLToPath(import.meta.resolve('@lacework-auth/core'))).resolve(
  'ky',
);
const { default: ky } = await import(pathToFileURL(kyPath).href);
const requests = Number(args.requests);
const rounds = Number(args.rounds);
const concurrency = Number(args.concurrency);

/**
 * Runs `body` against an emulator (the bench key when LW_BENCH_* is set) and closes it: `body`
 * gets the emulator and its key as provider options (`{ baseUrl, keyId, secret, env: {} }`).
 */
async function withEmulator(options, body) {
  const emulator = await startEmulator({ keys: emulatorKeys(), ...options });
  try {
    const [key] = emulator.keys;
    return await body(emulator, {
      baseUrl: emulator.url,
      keyId: key.keyId,
      secret: key.secret,
      env: {},
    });
  } finally {
    await emulator.close();
  }
}

/** What scripts without a cache do: a fresh token for every call. */
function naiveCaller({ baseUrl, keyId, secret }) {
  return async () => {
    const tokenResponse = await fetch(`${baseUrl}/api/v2/access/tokens`, {
      method: 'POST',
      headers: { 'X-LW-UAKS': secret, 'Content-Type': 'application/json' },
      body: JSON.stringify({ keyId, expiryTime: 3600 }),
    });
    if (!tokenResponse.ok) throw new Error(`token exchange answered HTTP ${tokenResponse.status}`);
    const { token } = await tokenResponse.json();
    const response = await fetch(`${baseUrl}/api/v2/UserProfile`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    if (!response.ok) throw new Error(`UserProfile answered HTTP ${response.status}`);
    await response.json();
  };
}

// Throughput runs without the rate budget (it would pace them to 480/hour); endurance gives it
// no wait (it then stops calls at the budget instead of at Lacework's 429).
function clientCaller(key, budget = false) {
  const client = createLaceworkClient({ ...key, retry: 0, budget });
  return () => client.get('UserProfile').json();
}

/** Runs `count` calls with `concurrency` workers; stops at the first failure. */
async function drive(call, count) {
  let next = 0;
  let served = 0;
  let failure;
  const worker = async () => {
    while (next < count && !failure) {
      next++;
      try {
        await call();
        served++;
      } catch (error) {
        failure = error;
      }
    }
  };
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const cpu = process.cpuUsage(cpuBefore);
  return {
    served,
    ms: performance.now() - started,
    cpuMs: (cpu.user + cpu.system) / 1000,
    failure,
  };
}

async function throughputRound(emulator, key, order) {
  const results = {};
  for (const name of order) {
    const call = name === 'naive' ? naiveCaller(key) : clientCaller(key);
    emulator.resetStats();
    const run = await drive(call, requests);
    if (run.failure) throw run.failure;
    results[name] = {
      callsPerSecond: (run.served / run.ms) * 1000,
      exchanges: emulator.stats().exchanges,
    };
  }
  return results;
}

/**
 * createLaceworkClient against plain ky with the same token in a fixed header, on the same route:
 * what the client itself costs per call. The emulator runs in a process of its own, so the CPU
 * this process spends (process.cpuUsage) is the callers' alone: calls per CPU-second are the calls
 * per second a core of their own would give, and on a shared machine they are far steadier than
 * wall-clock rates, which are printed too. Short rounds alternate the two; each ratio is the median
 * over rounds.
 */
async function overhead() {
  // Like for like: no rate limit, no rate budget (it would pace the client to 480 calls an hour).
  const emulator = await startEmulatorProcess({ rateLimit: false });
  try {
    const key = { baseUrl: emulator.url, ...emulator.key, env: {} };
    const provider = createTokenProvider({ ...key, retry: 0, budget: false });
    const { token } = await provider.getToken();
    const plain = ky.create({
      prefixUrl: `${emulator.url}/api/v2/`,
      headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
      retry: 0,
    });
    const client = createLaceworkClient({ tokenProvider: provider, retry: 0 });
    const calls = {
      ky: () => plain.get('UserProfile').json(),
      client: () => client.get('UserProfile').json(),
    };
    const results = [];
    // Short rounds, many of them: noise from other processes spreads evenly over both sides.
    const perRound = 200;
    const count = Math.max(60, Math.ceil((rounds * requests) / perRound));
    for (let round = 0; round <= count; round++) {
      const order = round % 2 ? ['client', 'ky'] : ['ky', 'client'];
      const result = {};
      for (const name of order) {
        const run = await drive(calls[name], perRound);
        if (run.failure) throw run.failure;
        result[name] = { wall: (run.served / run.ms) * 1000, cpu: (run.served / run.cpuMs) * 1000 };
      }
      // Round 0 warms up (JIT, sockets) and is not counted.
      if (round > 0) results.push(result);
    }
    const cpuRatios = results.map((r) => r.client.cpu / r.ky.cpu);
    const wallRatios = results.map((r) => r.client.wall / r.ky.wall);
    return {
      kyCallsPerCpuSecond: median(results.map((r) => r.ky.cpu)),
      clientCallsPerCpuSecond: median(results.map((r) => r.client.cpu)),
      ratio: median(cpuRatios),
      kyCallsPerSecond: median(results.map((r) => r.ky.wall)),
      clientCallsPerSecond: median(results.map((r) => r.client.wall)),
      wallRatio: median(wallRatios),
      rounds: results.length,
      callsPerRound: perRound,
      concurrency,
    };
  } finally {
    await emulator.close();
  }
}

/**
 * {@link overhead} in `count` fresh processes, one after the other, and the median of each figure:
 * a single process's ratio can land a few percent off either way (which code the JIT optimises
 * how), more than the 5 % being measured.
 */
async function overheadAcrossProcesses(count) {
  const runs = [];
  // The bench's own options go along: a child would otherwise measure with the defaults.
  const options = ['--requests', `${requests}`, '--rounds', `${rounds}`];
  options.push('--concurrency', `${concurrency}`, '--only', 'overhead-process');
  for (let i = 0; i < count; i++) {
    runs.push(await forkReady(fileURLToPath(import.meta.url), options).ready);
  }
  const mid = (field) => median(runs.map((run) => run[field]));
  return {
    kyCallsPerCpuSecond: mid('kyCallsPerCpuSecond'),
    clientCallsPerCpuSecond: mid('clientCallsPerCpuSecond'),
    ratio: mid('ratio'),
    kyCallsPerSecond: mid('kyCallsPerSecond'),
    clientCallsPerSecond: mid('clientCallsPerSecond'),
    wallRatio: mid('wallRatio'),
    rounds: runs[0].rounds,
    callsPerRound: runs[0].callsPerRound,
    concurrency: runs[0].concurrency,
    runs: runs.map(({ ratio, wallRatio }) => ({ ratio, wallRatio })),
  };
}

async function endurance(name) {
  // The real limit: 480 requests per hour per key, token endpoint included.
  return withEmulator({}, async (emulator, key) => {
    const call =
      name === 'naive'
        ? naiveCaller(key)
        : clientCaller(key, { maxWait: 0, store: memoryBudgetStore() });
    const run = await drive(call, 1000);
    return { served: run.served, exchanges: emulator.stats().exchanges };
  });
}

async function burst() {
  return withEmulator({ rateLimit: false }, async (emulator, key) => {
    const provider = createTokenProvider(key);
    await Promise.all(Array.from({ length: 1000 }, () => provider.getToken()));
    return { callers: 1000, exchanges: emulator.stats().exchanges };
  });
}

/**
 * A 2,000-call script (sequential, one token) against the emulator with Lacework's limit, one
 * hour scaled to `hourMs`. The naive loop sleeps a blind "minute" after each 429 and tries again;
 * the client waits for its budget and is never refused.
 */
async function paced(name, hourMs) {
  const calls = 2000;
  return withEmulator({ rateLimit: { limit: 480, windowMs: hourMs } }, async (emulator, key) => {
    let call;
    if (name === 'naive') {
      const res = await fetch(`${emulator.url}/api/v2/access/tokens`, {
        method: 'POST',
        headers: { 'X-LW-UAKS': key.secret, 'Content-Type': 'application/json' },
        body: JSON.stringify({ keyId: key.keyId, expiryTime: 3600 }),
      });
      const { token } = await res.json();
      call = async () => {
        for (;;) {
          const response = await fetch(`${emulator.url}/api/v2/UserProfile`, {
            headers: { Authorization: `Bearer ${token}` },
          });
          await response.arrayBuffer();
          if (response.status !== 429) return;
          await new Promise((resolve) => setTimeout(resolve, hourMs / 60));
        }
      };
    } else {
      const client = createLaceworkClient({
        ...key,
        retry: 0,
        budget: { windowMs: hourMs, store: memoryBudgetStore() },
      });
      call = () => client.get('UserProfile').json();
    }
    const started = performance.now();
    for (let i = 0; i < calls; i++) await call();
    const stats = emulator.stats();
    return {
      calls,
      upstreamRequests: stats.requests,
      rateLimited429: stats.rateLimited,
      simulatedHours: Number(((performance.now() - started) / hourMs).toFixed(2)),
    };
  });
}

const fmt = (n) => n.toFixed(0).padStart(7);
if (args.only === 'overhead-process') {
  // One process's measurement, for overheadAcrossProcesses(). Without its parent (killed, crashed)
  // there is nobody to report to: it stops at once, and its emulator process goes with it.
  process.once('disconnect', () => process.exit(1));
  const result = await overhead();
  // Sent before exiting: process.exit() right after process.send() may drop the message.
  await new Promise((resolve) => process.send(result, resolve));
  process.exit(0);
}
const overheadResult = await overheadAcrossProcesses(Number(args.processes));
const runs = (field) => overheadResult.runs.map((run) => run[field].toFixed(2)).join(', ');
const overheadLine = [
  `client vs plain ky with a fixed header, same route (${overheadResult.runs.length} processes × ${overheadResult.rounds} rounds × ${overheadResult.callsPerRound} calls, concurrency ${overheadResult.concurrency}):`,
  `  calls per CPU-second: ky ${fmt(overheadResult.kyCallsPerCpuSecond).trim()}, client ${fmt(overheadResult.clientCallsPerCpuSecond).trim()}; ratio client/ky ${overheadResult.ratio.toFixed(2)} (goal >= 0.95; per process ${runs('ratio')})`,
  `  calls per second (wall clock, noisy on a shared machine): ky ${fmt(overheadResult.kyCallsPerSecond).trim()}, client ${fmt(overheadResult.clientCallsPerSecond).trim()}; ratio ${overheadResult.wallRatio.toFixed(2)} (per process ${runs('wallRatio')})`,
].join('\n');
if (args.only === 'overhead') {
  console.log(overheadLine);
  process.exit(0);
}

const perRound = [];
await withEmulator({ rateLimit: false }, async (emulator, key) => {
  // Warm-up round, not counted: JIT, sockets.
  await throughputRound(emulator, key, ['naive', 'client']);
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 ? ['client', 'naive'] : ['naive', 'client'];
    perRound.push(await throughputRound(emulator, key, order));
  }
});
const ratios = perRound.map((r) => r.client.callsPerSecond / r.naive.callsPerSecond);
const naiveRate = median(perRound.map((r) => r.naive.callsPerSecond));
const clientRate = median(perRound.map((r) => r.client.callsPerSecond));
const enduranceNaive = await endurance('naive');
const enduranceClient = await endurance('client');
const burstResult = await burst();
const hourMs = Number(args.hour) * 1000;
const pacedNaive = await paced('naive', hourMs);
const pacedClient = await paced('client', hourMs);

console.log(
  `\n@lacework-auth/core vs a token per request (${rounds} rounds × ${requests} calls, concurrency ${concurrency})`,
);
console.log('case                          calls/s   exchanges per round');
console.log(`naive (token per request)     ${fmt(naiveRate)}   ${perRound[0].naive.exchanges}`);
console.log(`createLaceworkClient          ${fmt(clientRate)}   ${perRound[0].client.exchanges}`);
console.log(
  `throughput ratio client/naive: median ${median(ratios).toFixed(2)} (rounds: ${ratios.map((r) => r.toFixed(2)).join(', ')})`,
);
console.log(
  `calls before the 480/hour rate limit: naive ${enduranceNaive.served}, client ${enduranceClient.served} (ratio ${(enduranceClient.served / enduranceNaive.served).toFixed(2)})`,
);
console.log(`1,000 concurrent getToken(): ${burstResult.exchanges} exchange(s)`);
console.log(
  `2,000-call script, 480/hour (1 h = ${args.hour} s): naive loop ${pacedNaive.rateLimited429} × 429, ${pacedNaive.upstreamRequests} requests, ${pacedNaive.simulatedHours} h; client ${pacedClient.rateLimited429} × 429, ${pacedClient.upstreamRequests} requests, ${pacedClient.simulatedHours} h`,
);
console.log(`${overheadLine}\n`);

const out = join(resultsDir, 'core.json');
await mkdir(resultsDir, { recursive: true });
await writeFile(
  out,
  `${JSON.stringify(
    {
      ...resultHeader('core'),
      settings: { requests, rounds, concurrency },
      throughput: { naiveCallsPerSecond: naiveRate, clientCallsPerSecond: clientRate, ratios },
      endurance: { naive: enduranceNaive, client: enduranceClient },
      burst: burstResult,
      paced: { hourSeconds: Number(args.hour), naive: pacedNaive, client: pacedClient },
      overhead: overheadResult,
    },
    null,
    2,
  )}\n`,
);
console.log(`results written to ${out}`);
