import { Redis as IoRedis6 } from 'ioredis';
import { Redis as IoRedis5 } from 'ioredis5';
import { createClient } from 'redis';
import { createClient as createClient5 } from 'redis5';
import { onTestFinished } from 'vitest';
import { type RedisServer, startRedisServer } from '../../../../scripts/ensure-redis.mjs';

export type { RedisServer };

/** Registers cleanup: the current test's by default, a suite's (afterAll) when given. */
export type OnFinished = (fn: () => Promise<void>) => void;

/** A private redis-server on a random loopback port, stopped when the test finishes. */
export async function redisServer(onFinished: OnFinished = onTestFinished): Promise<RedisServer> {
  const server = await startRedisServer();
  onFinished(() => server.close());
  return server;
}

/** Every client library and major version the store supports. */
export const CLIENT_KINDS = ['redis', 'redis5', 'ioredis', 'ioredis5'] as const;
export type ClientKind = (typeof CLIENT_KINDS)[number];

/** A connected client of `kind`, closed when the test finishes. */
export async function connectClient(
  kind: ClientKind,
  url: string,
  onFinished: OnFinished = onTestFinished,
): Promise<object> {
  if (kind === 'redis' || kind === 'redis5') {
    const client = kind === 'redis' ? createClient({ url }) : createClient5({ url });
    client.on('error', () => undefined);
    await client.connect();
    onFinished(async () => {
      if (client.isOpen) client.destroy();
    });
    return client;
  }
  const client =
    kind === 'ioredis'
      ? new IoRedis6(url, { lazyConnect: true })
      : new IoRedis5(url, { lazyConnect: true });
  client.on('error', () => undefined);
  await client.connect();
  onFinished(async () => {
    client.disconnect();
  });
  return client;
}

/** A node-redis client for the test itself: inspecting keys, ACLs, MONITOR. */
export async function adminClient(url: string, onFinished: OnFinished = onTestFinished) {
  const client = createClient({ url });
  client.on('error', () => undefined);
  await client.connect();
  onFinished(async () => {
    if (client.isOpen) client.destroy();
  });
  return client;
}

/** Every key in the database with its value, whatever its type. */
export async function dumpAll(url: string): Promise<Array<{ key: string; value: string }>> {
  const client = await adminClient(url);
  const entries: Array<{ key: string; value: string }> = [];
  for await (const keys of client.scanIterator({ COUNT: 100 })) {
    for (const key of keys) {
      const type = await client.type(key);
      const value =
        type === 'string'
          ? String(await client.get(key))
          : JSON.stringify(await client.sendCommand(['DUMP', key]));
      entries.push({ key, value });
    }
  }
  return entries;
}

/** How many subscriptions the channels under `prefix` have (one per watching process). */
export async function subscriberCount(
  admin: Awaited<ReturnType<typeof adminClient>>,
  prefix: string,
): Promise<number> {
  const channels = (await admin.sendCommand(['PUBSUB', 'CHANNELS', `${prefix}*`])) as string[];
  if (channels.length === 0) return 0;
  const counts = (await admin.sendCommand(['PUBSUB', 'NUMSUB', ...channels])) as unknown[];
  return counts
    .filter((_, index) => index % 2 === 1)
    .reduce<number>((sum, n) => sum + Number(n), 0);
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` until it returns true, or fails after `timeoutMs`. */
export async function eventually(
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}
