import { createRequire } from 'node:module';
import { InvalidOptionError } from '@lacework-auth/core';
import { type Connection, fromClient, unrefIoredis } from './connection.js';

const require = createRequire(import.meta.url);

/** Whether `name` can be imported from here (an optional peer dependency that may be absent). */
function installed(name: string): boolean {
  try {
    require.resolve(name);
    return true;
  } catch (error) {
    // Present but not loadable by require (an ESM-only future release) still counts.
    return (error as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND';
  }
}

/** The library `url` connections use: `redis` when installed, else `ioredis`. */
export function pickLibrary(): 'redis' | 'ioredis' {
  if (installed('redis')) return 'redis';
  if (installed('ioredis')) return 'ioredis';
  throw new InvalidOptionError(
    '`redisStore({ url })` needs a Redis client library: install `redis` (node-redis 5+), e.g. `npm install redis`, or `ioredis` (5+). Or pass your own connected client as `client`.',
    { option: 'url' },
  );
}

const ignore = () => undefined;

/**
 * A connection to `url` opened on first use, with the library's offline queue off (a command
 * while disconnected fails at once, it is not replayed later) and reconnection every 2 s at most.
 * Its socket does not keep the process alive; `close()` ends it.
 */
export function urlConnection(url: string, timeoutMs: number): Connection {
  const library = pickLibrary();
  let opened: Promise<Connection> | undefined;
  const open = () => {
    opened ??= library === 'redis' ? openNodeRedis(url, timeoutMs) : openIoredis(url, timeoutMs);
    return opened;
  };
  return {
    library,
    opened: async () => void (await open()),
    send: async (args, key, call) => (await open()).send(args, key, call),
    subscriber: async (onMessage) => (await open()).subscriber(onMessage),
    async close() {
      const connection = await opened?.catch(ignore);
      opened = undefined;
      await connection?.close();
    },
  };
}

const reconnectDelay = (attempt: number) => Math.min(50 * 2 ** attempt, 2000);

async function openNodeRedis(url: string, timeoutMs: number): Promise<Connection> {
  const { createClient } = (await import('redis')) as unknown as {
    createClient(options: object): Parameters<typeof fromClient>[0] & {
      connect(): Promise<unknown>;
      on(event: string, listener: () => void): unknown;
      unref(): void;
    };
  };
  const client = createClient({
    url,
    disableOfflineQueue: true,
    socket: { connectTimeout: timeoutMs, reconnectStrategy: reconnectDelay },
  });
  client.on('error', ignore);
  client.unref();
  // Keeps trying in the background when Redis is down; the first commands wait a moment for it.
  await within(client.connect(), timeoutMs);
  return fromClient(client, true);
}

async function openIoredis(url: string, timeoutMs: number): Promise<Connection> {
  const module = (await import('ioredis')) as unknown as {
    Redis: new (
      url: string,
      options: object,
    ) => Parameters<typeof fromClient>[0] & {
      connect(): Promise<unknown>;
    };
  };
  const client = new module.Redis(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: timeoutMs,
    retryStrategy: reconnectDelay,
  });
  const events = client as unknown as Parameters<typeof unrefIoredis>[0];
  events.on('error', ignore);
  unrefIoredis(events);
  await within(client.connect(), timeoutMs);
  return fromClient(client, true);
}

/** Waits for `promise` at most `ms`, never failing. */
async function within(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    promise.catch(ignore),
    new Promise((resolve) => {
      timer = setTimeout(resolve, ms);
    }),
  ]);
  clearTimeout(timer);
}
