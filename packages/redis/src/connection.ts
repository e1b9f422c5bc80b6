import { InvalidOptionError } from '@lacework-auth/core';

/** What the store needs from Redis, whichever library connects to it. */
export interface Connection {
  /** Which library: shown in warnings. */
  readonly library: 'redis' | 'ioredis';
  /** Resolves when the first connection attempt is over (loading the library included). */
  opened?(): Promise<void>;
  /**
   * Sends one command; `key` is the key it touches (it routes the command in a cluster). Waits
   * for a connection that is not ready rather than leave the command in the library's offline
   * queue (where it could run long after the caller gave up), and sends nothing once `call.signal`
   * is aborted.
   */
  send(args: readonly string[], key: string | undefined, call: Call): Promise<unknown>;
  /** A second connection in subscriber mode; `onMessage` gets every message of its channels. */
  subscriber(onMessage: (channel: string, message: string) => void): Promise<Subscriber>;
  /** Closes what the store opened (never a client passed in). */
  close(): Promise<void>;
}

/** One command's cancellation; `waiting` is true while it waits for the connection. */
export interface Call {
  signal: AbortSignal;
  waiting: boolean;
}

export interface Subscriber {
  subscribe(channel: string): Promise<void>;
  unsubscribe(channel: string): Promise<void>;
  close(): Promise<void>;
}

type Fn = (...args: unknown[]) => unknown;

/** node-redis (`redis` 5+): `createClient()` and `createCluster()`. */
interface NodeRedisLike {
  sendCommand: Fn;
  duplicate: (overrides?: object) => NodeRedisLike;
  connect: () => Promise<unknown>;
  subscribe: (channel: string, listener: (message: string, channel: string) => void) => unknown;
  unsubscribe: (channel: string, listener?: unknown) => unknown;
  on: (event: string, listener: Fn) => unknown;
  off: (event: string, listener: Fn) => unknown;
  isOpen: boolean;
  isReady: boolean;
  close?: () => Promise<unknown>;
  destroy?: () => unknown;
  unref?: () => unknown;
}

/** ioredis 5+: `new Redis()` and `new Cluster()`. */
interface IoRedisLike {
  call: (command: string, ...args: string[]) => Promise<unknown>;
  duplicate: (...args: unknown[]) => IoRedisLike;
  subscribe: (channel: string) => Promise<unknown>;
  unsubscribe: (channel: string) => Promise<unknown>;
  on: (event: string, listener: Fn) => unknown;
  off: (event: string, listener: Fn) => unknown;
  disconnect: () => unknown;
  status: string;
  isCluster?: boolean;
  stream?: { unref?: () => unknown };
}

const has = (value: object, name: string) =>
  typeof (value as Record<string, unknown>)[name] === 'function';

/** Recognizes a client by its shape, without importing either library. */
export function fromClient(client: object, owned = false): Connection {
  if (has(client, 'call') && has(client, 'duplicate') && has(client, 'defineCommand')) {
    return ioredisConnection(client as IoRedisLike, owned);
  }
  if (has(client, 'sendCommand') && has(client, 'duplicate') && 'isOpen' in client) {
    return nodeRedisConnection(client as NodeRedisLike, owned);
  }
  throw new InvalidOptionError(
    '`client` is neither a node-redis client (`redis` 5+: createClient() or createCluster()) nor an ioredis client (5+: new Redis() or new Cluster()).',
    { option: 'client' },
  );
}

const ignore = () => undefined;

function nodeRedisConnection(client: NodeRedisLike, owned: boolean): Connection {
  // A cluster routes by the first key; a single client takes the arguments alone.
  const cluster = has(client, 'getSlotMaster') || has(client, 'nodeClient');
  return {
    library: 'redis',
    async send(args, key, call) {
      await ready(client, () => client.isReady, call);
      const options = { abortSignal: call.signal };
      return cluster
        ? client.sendCommand(key, key === undefined, args, options)
        : client.sendCommand(args, options);
    },
    async subscriber(onMessage) {
      // Our own connection: it may queue commands until it is connected.
      const sub = client.duplicate({ disableOfflineQueue: false });
      sub.on('error', ignore);
      await sub.connect();
      sub.unref?.();
      const listener = (message: string, channel: string) => onMessage(channel, message);
      return {
        subscribe: async (channel) => void (await sub.subscribe(channel, listener)),
        unsubscribe: async (channel) => void (await sub.unsubscribe(channel, listener)),
        close: () => closeNodeRedis(sub),
      };
    },
    close: async () => {
      if (owned) await closeNodeRedis(client);
    },
  };
}

async function closeNodeRedis(client: NodeRedisLike) {
  if (!client.isOpen) return;
  if (client.destroy) client.destroy();
  else await client.close?.();
}

function ioredisConnection(client: IoRedisLike, owned: boolean): Connection {
  return {
    library: 'ioredis',
    async send(args, _key, call) {
      await ready(client, () => client.status === 'ready', call);
      const [command, ...rest] = args as string[];
      return client.call(command as string, ...rest);
    },
    async subscriber(onMessage) {
      const overrides = { enableOfflineQueue: true, lazyConnect: false };
      const sub = client.isCluster
        ? client.duplicate(undefined, overrides)
        : client.duplicate(overrides);
      sub.on('error', ignore);
      unrefIoredis(sub);
      sub.on('message', (channel, message) => onMessage(String(channel), String(message)));
      return {
        subscribe: async (channel) => void (await sub.subscribe(channel)),
        unsubscribe: async (channel) => void (await sub.unsubscribe(channel)),
        close: async () => void sub.disconnect(),
      };
    },
    close: async () => {
      if (owned) client.disconnect();
    },
  };
}

/** An ioredis connection the store opened does not keep the process alive once connected. */
export function unrefIoredis(client: IoRedisLike): void {
  client.on('connect', () => client.stream?.unref?.());
}

interface Events {
  on: (event: string, listener: Fn) => unknown;
  off: (event: string, listener: Fn) => unknown;
}

/** Resolves when `client` is ready (at once if it is); rejects when `call` is aborted first. */
function ready(client: Events, isReady: () => boolean, call: Call): Promise<void> {
  if (call.signal.aborted) return Promise.reject(new Error('aborted'));
  if (isReady()) return Promise.resolve();
  call.waiting = true;
  return new Promise((resolve, reject) => {
    const done = () => {
      call.waiting = false;
      client.off('ready', onReady);
      call.signal.removeEventListener('abort', onAbort);
    };
    const onReady = () => {
      done();
      if (call.signal.aborted) reject(new Error('aborted'));
      else resolve();
    };
    const onAbort = () => {
      done();
      reject(new Error('aborted'));
    };
    client.on('ready', onReady);
    call.signal.addEventListener('abort', onAbort, { once: true });
  });
}
