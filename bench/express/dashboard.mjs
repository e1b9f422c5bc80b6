// The dashboard scenario: 100 users, each polling one route every 10 s, for one hour, through
//   http-proxy-middleware 3.x (a bearer token fixed in its options),
//   laceworkProxy() (defaults: coalescing on, the key's 480/hour budget), and
//   laceworkProxy({ cache: { ttl: 10 s } }),
// against the emulator with Lacework's limit (480 calls per hour per key, token endpoint
// included). Time is scaled: one simulated hour lasts 3600 / --speed seconds, and every duration
// (polling period, the emulator's and the budget's window, the cache TTL, maxBudgetWait) is
// divided by the same factor, so the counts are those of a real hour. Users start at random
// moments within their period (`random`), or all at once every period (`aligned`, a dashboard
// that refreshes on the clock). Loopback only.
// Options: --speed (default 120), --users (100), --period (seconds, 10), --cases.
// Results: bench/results/dashboard.json.

import http from 'node:http';
import { benchOptions, writeResult } from '../lib/support.mjs';
import { load, loadModule } from './deps.mjs';

const { speed, users, period, cases } = benchOptions({
  speed: 120,
  users: 100,
  period: 10,
  cases: 'hpm,proxy,proxyAligned,cached',
});
const HOUR = 3_600_000 / speed;
const PERIOD = (period * 1000) / speed;

const express = await load('express');
const { laceworkProxy } = await loadModule('@lacework-auth/express');
const { createProxyMiddleware } = await loadModule('http-proxy-middleware');
const { startEmulator } = await loadModule('@lacework-auth/emulator');
const { memoryBudgetStore } = await loadModule('@lacework-auth/core');

const ROUTE = 'CloudAccounts';
const CASES = [
  { name: 'hpm', label: 'http-proxy-middleware 3.x', phase: 'random' },
  { name: 'proxy', label: 'laceworkProxy() (coalescing, budget)', phase: 'random' },
  { name: 'proxyAligned', label: 'laceworkProxy(), users in step', phase: 'aligned' },
  {
    name: 'cached',
    label: 'laceworkProxy({ cache: { ttl: 10 s } })',
    phase: 'random',
    cache: true,
  },
].filter((c) => cases.split(',').includes(c.name));

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

async function app(c, emu) {
  const [key] = emu.keys;
  const agent = new http.Agent({ keepAlive: true });
  const server = express();
  if (c.name === 'hpm') {
    // What people do with http-proxy-middleware: one token, fetched at start, in the options.
    const res = await fetch(`${emu.url}/api/v2/access/tokens`, {
      method: 'POST',
      headers: { 'X-LW-UAKS': key.secret, 'Content-Type': 'application/json' },
      body: JSON.stringify({ keyId: key.keyId, expiryTime: 3600 }),
    });
    const { token } = await res.json();
    server.use(
      '/lw',
      createProxyMiddleware({
        target: `${emu.url}/api/v2`,
        changeOrigin: true,
        agent,
        headers: { authorization: `Bearer ${token}` },
      }),
    );
  } else {
    server.use(
      '/lw',
      laceworkProxy({
        baseUrl: emu.url,
        keyId: key.keyId,
        secret: key.secret,
        env: {},
        agent,
        budget: { windowMs: HOUR, store: memoryBudgetStore() },
        maxBudgetWait: Math.round(10_000 / speed),
        ...(c.cache ? { cache: { ttl: Math.round(10_000 / speed) } } : {}),
      }),
    );
  }
  const listener = http.createServer(server);
  await new Promise((resolve) => listener.listen(0, '127.0.0.1', resolve));
  return { listener, url: `http://127.0.0.1:${listener.address().port}/lw/${ROUTE}` };
}

async function run(c) {
  const emu = await startEmulator({ rateLimit: { limit: 480, windowMs: HOUR } });
  const { listener, url } = await app(c, emu);
  const statuses = {};
  let late = 0;
  const started = performance.now();
  const user = async () => {
    let next = started + (c.phase === 'aligned' ? 0 : Math.random() * PERIOD);
    while (next < started + HOUR) {
      await sleep(next - performance.now());
      if (performance.now() - next > PERIOD) late++;
      const res = await fetch(url);
      await res.arrayBuffer();
      statuses[res.status] = (statuses[res.status] ?? 0) + 1;
      next += PERIOD;
    }
  };
  await Promise.all(Array.from({ length: users }, user));
  // On a busy machine the last polls finish late: the run then spans more than one hour.
  const hours = (performance.now() - started) / HOUR;
  const stats = emu.stats();
  listener.closeAllConnections();
  await new Promise((resolve) => listener.close(resolve));
  await emu.close();
  const requests = Object.values(statuses).reduce((a, b) => a + b, 0);
  return {
    label: c.label,
    requests,
    statuses,
    upstreamCalls: stats.requests,
    exchanges: stats.exchanges,
    rateLimited429: stats.rateLimited,
    answered200: statuses[200] ?? 0,
    lateRequests: late,
    simulatedHours: Number(hours.toFixed(3)),
    upstreamPerHour: Math.round(stats.requests / hours),
  };
}

const results = {};
for (const c of CASES) {
  process.stderr.write(
    `  dashboard ${c.name}: one simulated hour (${(HOUR / 1000).toFixed(0)} s)…\n`,
  );
  results[c.name] = await run(c);
}

const pad = (text, n) => String(text).padEnd(n);
console.log(
  `\nDashboard: ${users} users × 1 route every ${period} s for one simulated hour (speed ×${speed}); emulator limit 480/hour`,
);
console.log(
  `${pad('case', 42)} ${pad('requests', 9)} ${pad('200', 7)} ${pad('upstream', 9)} ${pad('per hour', 9)} ${pad('429s', 6)} ${pad('hours', 6)} other statuses`,
);
for (const r of Object.values(results)) {
  const other = Object.entries(r.statuses)
    .filter(([status]) => status !== '200')
    .map(([status, n]) => `${status}×${n}`)
    .join(' ');
  console.log(
    `${pad(r.label, 42)} ${pad(r.requests, 9)} ${pad(r.answered200, 7)} ${pad(r.upstreamCalls, 9)} ${pad(r.upstreamPerHour, 9)} ${pad(r.rateLimited429, 6)} ${pad(r.simulatedHours.toFixed(2), 6)} ${other}`,
  );
}

const out = await writeResult('dashboard', {
  settings: { speed, users, periodSeconds: period, route: ROUTE },
  cases: results,
});
console.log(`\nwrote ${out}`);
