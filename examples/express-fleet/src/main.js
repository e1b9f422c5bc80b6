// @ts-check
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { resolveCredentials } from '@lacework-auth/core';
// The repository's demo plumbing (LW_* or an embedded emulator): not needed in your own code.
import { runAsScript } from '@lacework-auth/test-kit';
import { startRedisServer } from '../../../scripts/ensure-redis.mjs';

const SERVER = fileURLToPath(new URL('./server.js', import.meta.url));

/** @typedef {{ baseUrl: string, keyId: string, secret: string, subAccount?: string }} KeyOptions */

/**
 * One fleet server in its own process; resolves with its port once it listens.
 * @param {Record<string, string>} env
 */
async function startServer(env) {
  const child = fork(SERVER, [], { env, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const port = await new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`a fleet server exited (${code})`)));
    child.once('message', (/** @type {any} */ message) => resolve(message.port));
  });
  child.removeAllListeners('exit');
  return {
    port: /** @type {number} */ (port),
    /** @returns {Promise<{ exchanges: number }>} the exchanges this process made */
    stats: () =>
      new Promise((resolve) => {
        child.once('message', resolve);
        child.send('stats');
      }),
    kill: () => child.kill(),
  };
}

/**
 * Starts Redis (a private redis-server on a random loopback port, unless `redisUrl` is given) and
 * `servers` Express processes sharing one Lacework key through it, sends every server `requests`
 * concurrent proxied requests, then stops everything. Returns what the fleet did.
 *
 * @param {KeyOptions & { log?: (line: string) => void, redisUrl?: string, servers?: number,
 *   requests?: number }} options
 * @returns {Promise<{ servers: number, requestsServed: number, ok: number, exchanges: number,
 *   exchangesPerServer: number[] }>}
 */
export async function run({
  log = console.log,
  redisUrl,
  servers = 4,
  requests = 10,
  ...lacework
}) {
  const redis = redisUrl ? undefined : await startRedisServer({ log });
  const url = redisUrl ?? /** @type {NonNullable<typeof redis>} */ (redis).url;
  /** @type {Array<Awaited<ReturnType<typeof startServer>>>} */
  const fleet = [];
  try {
    log(
      `express-fleet: Redis at ${url.replace(/\/\/[^@]*@/, '//')}, Lacework at ${lacework.baseUrl}`,
    );
    const env = {
      PATH: process.env.PATH ?? '',
      LW_BASE_URL: lacework.baseUrl,
      LW_API_KEY: lacework.keyId,
      LW_API_SECRET: lacework.secret,
      LW_SUBACCOUNT: lacework.subAccount ?? '',
      REDIS_URL: url,
    };
    const started = await Promise.all(Array.from({ length: servers }, () => startServer(env)));
    fleet.push(...started);
    log(
      `express-fleet: ${servers} Express processes on ports ${fleet.map((w) => w.port).join(', ')}`,
    );

    // Every server gets its requests at the same moment: a cold fleet, all at once.
    const statuses = await Promise.all(
      fleet.flatMap((worker) =>
        Array.from({ length: requests }, async () => {
          const res = await fetch(`http://127.0.0.1:${worker.port}/lacework/UserProfile`);
          await res.arrayBuffer();
          return res.status;
        }),
      ),
    );
    const ok = statuses.filter((status) => status === 200).length;
    const exchangesPerServer = (await Promise.all(fleet.map((w) => w.stats()))).map(
      (s) => s.exchanges,
    );
    const exchanges = exchangesPerServer.reduce((sum, n) => sum + n, 0);
    log(
      `express-fleet: ${statuses.length} requests to ${servers} processes (${ok} answered 200) with ${exchanges} token exchange(s) for the whole fleet (per process: ${exchangesPerServer.join(', ')})`,
    );
    if (ok !== statuses.length) {
      const failed = [...new Set(statuses.filter((status) => status !== 200))].join(', ');
      throw new Error(
        `${statuses.length - ok} of ${statuses.length} proxied calls failed (HTTP ${failed}): check the key and the account (LW_*)`,
      );
    }
    return { servers, requestsServed: statuses.length, ok, exchanges, exchangesPerServer };
  } finally {
    for (const worker of fleet) worker.kill();
    await redis?.close();
  }
}

// `node src/main.js`: against the account of LW_* when they are set, else the embedded emulator.
runAsScript(import.meta.url, 'express-fleet', {
  // The key as the Lacework CLI finds it (LW_*, then ~/.lacework.toml).
  lacework: async () => run({ ...(await resolveCredentials()), redisUrl: process.env.REDIS_URL }),
  emulator: (key) => run({ ...key, redisUrl: process.env.REDIS_URL }),
});
