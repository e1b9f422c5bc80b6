import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { StoredToken, TokenStore } from '@lacework-auth/core';
import { isStoredToken } from '@lacework-auth/core/internal';
import { type Call, type Connection, fromClient, type Subscriber } from './connection.js';
import { CommandTimeoutError, Health } from './health.js';
import { type KeyNames, keyNames } from './keys.js';
import { keyedQueue, RELEASE_SCRIPT, RENEW_SCRIPT, WRITE_BACK_SCRIPT } from './lock.js';
import { normalizeOptions, type RedisStoreOptions } from './options.js';
import { urlConnection } from './url.js';

/** A {@link TokenStore} in Redis, with the optional methods core uses for fleets. */
export interface RedisTokenStore extends TokenStore {
  withLock<T>(key: string, fn: () => Promise<T>): Promise<T>;
  watch(key: string, onDelete: () => void): () => void;
  /** Closes the connections the store opened (for `url`, and its subscriber); never your client. */
  close(): Promise<void>;
}

const ignore = () => undefined;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A token store in Redis (or Valkey), shared by every process that uses the same key: the fleet
 * makes one exchange, not one per process. Stores `{token, expiresAt}` (never the secret) with a
 * matching expiry; a lock with an owner id and an expiry lets one process exchange while the
 * others wait and take its token, and another take over if it dies; `invalidate()` in one process
 * reaches the others through pub/sub. When Redis is down or slow, each process keeps its own token
 * (one warning) and sharing resumes when Redis is back.
 *
 * @example
 * ```ts
 * import { createClient } from 'redis';
 * const redis = await createClient({ url: process.env.REDIS_URL }).on('error', console.error).connect();
 * const provider = createTokenProvider({ store: redisStore({ client: redis }) });
 * ```
 */
export function redisStore(options: RedisStoreOptions): RedisTokenStore {
  const config = normalizeOptions(options);
  const connection: Connection = config.client
    ? fromClient(config.client)
    : urlConnection(config.url as string, config.commandTimeoutMs);
  const { prefix, commandTimeoutMs, lockTtlMs, lockWaitMs } = config;
  // This process's last known token per key: served while Redis is down, written back after.
  const local = new Map<string, StoredToken>();
  // Tells this store's own deletions apart from other processes' on the pub/sub channel.
  const instance = `${hostname()}/${process.pid}/${randomBytes(6).toString('hex')}`;
  const serial = keyedQueue();
  const watchers = new Map<string, { key: string; listeners: Set<() => void> }>();
  let subscriber: Promise<Subscriber> | undefined;
  let closed = false;

  const health = new Health({
    retryMs: config.retryMs,
    warn: config.onWarning,
    ping: () => command(['PING']),
    onRecovered: () => void writeBack(),
  });

  /** Runs `send`, abandoning it (and aborting it, if it has not left) after the timeout. */
  function timed(send: (call: Call) => Promise<unknown>): Promise<unknown> {
    const controller = new AbortController();
    const call: Call = { signal: controller.signal, waiting: false };
    let timer: NodeJS.Timeout | undefined;
    return Promise.race([
      send(call),
      new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => {
          reject(new CommandTimeoutError(commandTimeoutMs, call.waiting));
          controller.abort();
        }, commandTimeoutMs);
      }),
    ]).finally(() => clearTimeout(timer));
  }

  /** One command, with a timeout; while Redis is known to be down, fails at once. */
  async function command(args: string[], key?: string): Promise<unknown> {
    if (!health.usable) throw new Error('redis store is down');
    // Loading the library and the first connection attempt (itself bounded) are not the command's.
    await connection.opened?.();
    try {
      const reply = await timed((call) => connection.send(args, key, call));
      health.succeeded();
      return reply;
    } catch (error) {
      health.failed(args[0] as string, error);
      throw error;
    }
  }

  function fresh(entry: StoredToken | undefined): StoredToken | undefined {
    return entry && entry.expiresAt > Date.now() ? { ...entry } : undefined;
  }

  /**
   * After an outage: tokens this process got meanwhile go back to Redis, unless one is there (or
   * an exchange is under way). A process whose token did not go back drops it, and its watchers
   * with it: its next read takes the fleet's token, so sharing resumes at once, not at expiry.
   */
  async function writeBack() {
    for (const [key, entry] of [...local]) {
      if (!fresh(entry)) continue;
      const names = keyNames(prefix, key);
      const args = [serialize(entry), String(entry.expiresAt)];
      let reply: unknown;
      try {
        reply = await command(
          ['EVAL', WRITE_BACK_SCRIPT, '2', names.token, names.lock, ...args],
          names.token,
        );
      } catch {
        continue;
      }
      if (reply === 'OK' || local.get(key) !== entry) continue;
      notify(names.deleted);
    }
  }

  function notify(channel: string) {
    const watched = watchers.get(channel);
    if (!watched) return;
    local.delete(watched.key);
    for (const listener of [...watched.listeners]) {
      try {
        listener();
      } catch {
        // A listener's failure is its own.
      }
    }
  }

  /** Subscribes to `channel` while it is watched, trying again every `retryMs` until it works. */
  async function subscribe(channel: string) {
    if (closed || !watchers.has(channel)) return;
    try {
      subscriber ??= connection
        .subscriber((from, message) => {
          if (message !== instance) notify(from);
        })
        .catch((error) => {
          subscriber = undefined;
          throw error;
        });
      await (await subscriber).subscribe(channel);
    } catch {
      // Until it works, another process's invalidate() reaches this one at its next refresh.
      setTimeout(() => void subscribe(channel), config.retryMs).unref();
    }
  }

  async function acquire(names: KeyNames, owner: string): Promise<boolean> {
    const started = Date.now();
    let delay = 20;
    for (;;) {
      let reply: unknown;
      try {
        reply = await command(
          ['SET', names.lock, owner, 'NX', 'PX', String(lockTtlMs)],
          names.lock,
        );
      } catch (error) {
        // A SET that timed out may still land: take back a lock of ours rather than let it block.
        if (error instanceof CommandTimeoutError && !error.waiting) {
          const release = ['EVAL', RELEASE_SCRIPT, '1', names.lock, owner];
          void timed((call) => connection.send(release, names.lock, call)).catch(ignore);
        }
        return false;
      }
      if (reply === 'OK') return true;
      if (Date.now() - started >= lockWaitMs) {
        config.onWarning(
          `lacework-auth: waited ${lockWaitMs} ms for another process's token exchange; exchanging without the lock.`,
        );
        return false;
      }
      await sleep(delay * (0.5 + Math.random()));
      delay = Math.min(delay * 2, 250);
    }
  }

  return {
    async get(key) {
      const names = keyNames(prefix, key);
      let text: unknown;
      try {
        text = await command(['GET', names.token], names.token);
      } catch {
        return fresh(local.get(key));
      }
      const entry = parse(text);
      if (entry) local.set(key, entry);
      else local.delete(key);
      return fresh(entry);
    },

    async set(key, value) {
      if (!isStoredToken(value)) throw new TypeError('redisStore.set needs { token, expiresAt }.');
      const entry = { token: value.token, expiresAt: value.expiresAt };
      const names = keyNames(prefix, key);
      local.set(key, entry);
      const args =
        entry.expiresAt > Date.now()
          ? ['SET', names.token, serialize(entry), 'PXAT', String(entry.expiresAt)]
          : ['DEL', names.token];
      await command(args, names.token).catch(ignore);
    },

    async delete(key) {
      const names = keyNames(prefix, key);
      local.delete(key);
      // This store's own watchers at once; other processes' through Redis.
      notify(names.deleted);
      try {
        // A mark rather than nothing: a write-back (SET NX) sent before this, from a process that
        // saw Redis again, cannot land after it and bring back a token the fleet dropped. It lasts
        // past any such write-back (sent within one command timeout); an exchange overwrites it.
        const mark = ['SET', names.token, DELETED, 'PX', String(2 * commandTimeoutMs)];
        await command(mark, names.token);
        await command(['PUBLISH', names.deleted, instance], names.deleted);
      } catch {
        // Down: the other processes keep their token until they refresh.
      }
    },

    async withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
      return serial(key, async () => {
        const names = keyNames(prefix, key);
        const owner = `${instance}/${randomBytes(6).toString('hex')}`;
        if (!(await acquire(names, owner))) return fn();
        // Renewed while the exchange runs: only a holder that died loses it (after lockTtlMs).
        const renewal = setInterval(
          () => {
            void command(
              ['EVAL', RENEW_SCRIPT, '1', names.lock, owner, String(lockTtlMs)],
              names.lock,
            ).catch(ignore);
          },
          Math.max(50, Math.floor(lockTtlMs / 3)),
        );
        renewal.unref();
        try {
          return await fn();
        } finally {
          clearInterval(renewal);
          await command(['EVAL', RELEASE_SCRIPT, '1', names.lock, owner], names.lock).catch(ignore);
        }
      });
    },

    watch(key, onDelete) {
      const names = keyNames(prefix, key);
      let watched = watchers.get(names.deleted);
      if (!watched) {
        watched = { key, listeners: new Set() };
        watchers.set(names.deleted, watched);
        void subscribe(names.deleted);
      }
      const { listeners } = watched;
      listeners.add(onDelete);
      return () => {
        listeners.delete(onDelete);
        if (listeners.size > 0 || watchers.get(names.deleted) !== watched) return;
        watchers.delete(names.deleted);
        void subscriber?.then((sub) => sub.unsubscribe(names.deleted)).catch(ignore);
      };
    },

    async close() {
      closed = true;
      health.stop();
      const sub = await subscriber?.catch(ignore);
      subscriber = undefined;
      await sub?.close().catch(ignore);
      await connection.close().catch(ignore);
    },
  };
}

/** What `invalidate()` leaves in `:token` for a moment: read as no token. */
const DELETED = 'deleted';

function serialize(entry: StoredToken): string {
  return JSON.stringify({ token: entry.token, expiresAt: entry.expiresAt });
}

function parse(text: unknown): StoredToken | undefined {
  if (typeof text !== 'string') return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return isStoredToken(value) ? { token: value.token, expiresAt: value.expiresAt } : undefined;
  } catch {
    return undefined;
  }
}
