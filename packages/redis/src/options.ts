import { InvalidOptionError } from '@lacework-auth/core';
import { assertKnownOptions, describe } from '@lacework-auth/core/internal';

export { describe } from '@lacework-auth/core/internal';

/** Options for {@link redisStore}: a `client` or a `url`, and optional tuning. */
export interface RedisStoreOptions {
  /**
   * Your connected client: node-redis (`redis` 5+, `createClient()` or `createCluster()`) or
   * `ioredis` 5+ (`new Redis()` or `new Cluster()`). The store never closes it. Give it an `error`
   * listener, as both libraries ask: without one, a lost connection crashes the process.
   */
  client?: object | undefined;
  /**
   * `redis://[[user]:password@]host[:port][/db]` or `rediss://…` (TLS), used with whichever of
   * `redis` or `ioredis` is installed (`redis` first). The store opens and owns that connection.
   */
  url?: string | undefined;
  /**
   * Prepended to every key and channel. Keys look like `<prefix>{lw-<hash>}:token`.
   * @default 'lacework-auth:'
   */
  prefix?: string | undefined;
  /**
   * Longest wait for one Redis command, in ms; past it Redis counts as unavailable.
   * @default 1000
   */
  commandTimeoutMs?: number | undefined;
  /**
   * Expiry of the exchange lock, in ms. Its holder renews it every third of this while it
   * exchanges; when the holder dies, another process takes over at most this long after.
   * @default 10000
   */
  lockTtlMs?: number | undefined;
  /**
   * Longest wait for another process's exchange, in ms, before exchanging without the lock.
   * @default 150000
   */
  lockWaitMs?: number | undefined;
  /**
   * While Redis is unavailable, how often it is tried again, in ms.
   * @default 5000
   */
  retryMs?: number | undefined;
  /**
   * Receives the store's warnings: one when Redis becomes unavailable, one when it is back.
   * @default process.emitWarning (code `LW_REDIS_STORE`)
   */
  onWarning?: ((message: string) => void) | undefined;
}

/** {@link RedisStoreOptions} checked, with defaults applied. */
export interface StoreConfig {
  client: object | undefined;
  url: string | undefined;
  prefix: string;
  commandTimeoutMs: number;
  lockTtlMs: number;
  lockWaitMs: number;
  retryMs: number;
  onWarning: (message: string) => void;
}

const KNOWN = [
  'client',
  'url',
  'prefix',
  'commandTimeoutMs',
  'lockTtlMs',
  'lockWaitMs',
  'retryMs',
  'onWarning',
];

export function normalizeOptions(input: unknown): StoreConfig {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw new InvalidOptionError(
      `\`redisStore\` needs an options object ({ client } or { url }), got ${describe(input)}.`,
      { option: 'options' },
    );
  }
  const options = input as RedisStoreOptions;
  assertKnownOptions(options, KNOWN, 'redisStore');
  const { client, url } = options;
  if ((client === undefined) === (url === undefined)) {
    throw new InvalidOptionError(
      client === undefined
        ? '`redisStore` needs `client` (your node-redis or ioredis client) or `url` (redis://…).'
        : '`redisStore` takes `client` or `url`, not both.',
      { option: client === undefined ? 'client' : 'url' },
    );
  }
  if (client !== undefined && (client === null || typeof client !== 'object')) {
    throw new InvalidOptionError(
      `\`client\` must be a node-redis or ioredis client, got ${describe(client)}.`,
      { option: 'client' },
    );
  }
  if (url !== undefined && (typeof url !== 'string' || !/^rediss?:\/\/./i.test(url))) {
    // The URL may hold a password: never quote it.
    throw new InvalidOptionError(
      `\`url\` must be a redis:// or rediss:// URL, got ${describe(url)} that is not one.`,
      { option: 'url' },
    );
  }
  const prefix = options.prefix ?? 'lacework-auth:';
  if (typeof prefix !== 'string' || /[{}]/.test(prefix) || prefix.length > 200) {
    throw new InvalidOptionError(
      `\`prefix\` must be a string of at most 200 characters without { or } (they would break the Redis Cluster hash tag), got ${describe(prefix)}.`,
      { option: 'prefix' },
    );
  }
  const commandTimeoutMs = ms(options.commandTimeoutMs, 'commandTimeoutMs', 1000);
  const lockTtlMs = ms(options.lockTtlMs, 'lockTtlMs', 10_000, 100);
  const lockWaitMs = ms(options.lockWaitMs, 'lockWaitMs', 150_000, 0);
  const retryMs = ms(options.retryMs, 'retryMs', 5000);
  if (options.onWarning !== undefined && typeof options.onWarning !== 'function') {
    throw new InvalidOptionError(
      `\`onWarning\` must be a function, got ${describe(options.onWarning)}.`,
      { option: 'onWarning' },
    );
  }
  const onWarning =
    options.onWarning ??
    ((message: string) => process.emitWarning(message, { code: 'LW_REDIS_STORE' }));
  return {
    client,
    url,
    prefix,
    commandTimeoutMs,
    lockTtlMs,
    lockWaitMs,
    retryMs,
    onWarning,
  };
}

function ms(value: unknown, name: string, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > 86_400_000) {
    throw new InvalidOptionError(
      `\`${name}\` must be an integer number of milliseconds from ${min} to 86400000, got ${describe(value)}.`,
      { option: name },
    );
  }
  return value;
}
