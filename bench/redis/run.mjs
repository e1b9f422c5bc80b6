// Exchanges per fleet per simulated hour: a fleet of processes sharing one key, each with its own
// memoryStore (what every process does alone) vs redisStore (@lacework-auth/redis), in one run,
// loopback only (the emulator, a private redis-server on a random port).
// Time is compressed: a simulated hour lasts --lifetime seconds, the token lifetime (expiryTime),
// with the refresh window scaled to match (5 min of 60). Each process asks for a token every
// 50 ms; halfway through, the fleet is redeployed, one process after another (a rolling update).
// Each "process" is a provider with its own store and, for Redis, its own connection.
// Options: --processes (default 8), --hours (default 3), --lifetime (seconds, default 6).
// Results: bench/results/redis.json.
import { randomBytes } from 'node:crypto';
import { createTokenProvider, memoryStore } from '@lacework-auth/core';
import { startEmulator } from '@lacework-auth/emulator';
// The package's own build (bench scripts live outside any package).
import { redisStore } from '../../packages/redis/dist/index.js';
import { startRedisServer } from '../../scripts/ensure-redis.mjs';
import { benchOptions, writeResult } from '../lib/support.mjs';

const { processes, hours, lifetime } = benchOptions({ processes: 8, hours: 3, lifetime: 6 });
const hourMs = lifetime * 1000;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function fleetRun(name, emulator, makeStore) {
  const key = emulator.keys[0];
  const stores = [];
  const spawn = () => {
    const store = makeStore();
    stores.push(store);
    return createTokenProvider({
      baseUrl: emulator.url,
      keyId: key.keyId,
      secret: key.secret,
      env: {},
      expiryTime: lifetime,
      refreshWindow: (lifetimeMs) => (lifetimeMs * 5) / 60,
      store,
    });
  };
  emulator.resetStats();
  const fleet = Array.from({ length: processes }, spawn);
  // A cold start: every process at once.
  await Promise.all(fleet.map((provider) => provider.getToken()));
  const coldStart = emulator.stats().exchanges;
  const started = Date.now();
  const end = started + hours * hourMs;
  let served = 0;
  const traffic = fleet.map(async (_, index) => {
    while (Date.now() < end) {
      await fleet[index].getToken();
      served++;
      await sleep(50);
    }
  });
  // The rolling update, in the middle hour: each process replaced by a new one in turn.
  const rollout = (async () => {
    await sleep(Math.max(0, (hours / 2 - 0.5) * hourMs));
    for (let index = 0; index < processes; index++) {
      fleet[index] = spawn();
      await sleep(hourMs / processes);
    }
  })();
  await Promise.all([...traffic, rollout]);
  const exchanges = emulator.stats().exchanges;
  await Promise.all(stores.map((store) => store.close?.()));
  return { name, coldStart, exchanges, perHour: exchanges / hours, served };
}

const emulator = await startEmulator({ rateLimit: false });
const redis = await startRedisServer();
let memory;
let shared;
try {
  memory = await fleetRun('memoryStore per process', emulator, () => memoryStore());
  const prefix = `bench-${randomBytes(4).toString('hex')}:`;
  shared = await fleetRun('redisStore (shared)', emulator, () =>
    redisStore({ url: redis.url, prefix }),
  );
} finally {
  await redis.close();
  await emulator.close();
}

const pad = (value, width) => String(value).padStart(width);
console.log(
  `\n@lacework-auth/redis: ${processes} processes, one key, ${hours} simulated hours (1 h = ${lifetime} s, tokens of 1 h), a rolling update midway`,
);
console.log(
  'case                        cold start   exchanges   per simulated hour   getToken() calls',
);
for (const row of [memory, shared]) {
  console.log(
    `${row.name.padEnd(26)}  ${pad(row.coldStart, 10)}   ${pad(row.exchanges, 9)}   ${pad(row.perHour.toFixed(1), 18)}   ${pad(row.served, 16)}`,
  );
}
console.log(
  `exchanges per fleet per hour, memory/redis: ${(memory.perHour / shared.perHour).toFixed(1)}× fewer with Redis\n`,
);

const out = await writeResult('redis', {
  settings: { processes, hours, lifetimeSeconds: lifetime },
  memoryStore: memory,
  redisStore: shared,
});
console.log(`results written to ${out}`);
