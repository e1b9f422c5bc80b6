import { describe, expect, it } from 'vitest';
import { redisStore } from '../src/store.js';
import { adminClient, connectClient, redisServer, sleep } from './support/redis.js';

const KEY = 'lw-lockkey';
const LOCK = `locks:{${KEY}}:lock`;

/** Two stores on their own connections, like two processes. */
async function twoStores(url: string, options: { lockTtlMs?: number; lockWaitMs?: number } = {}) {
  const warnings: string[] = [];
  const make = async (kind: 'redis' | 'ioredis') =>
    redisStore({
      client: await connectClient(kind, url),
      prefix: 'locks:',
      onWarning: (message) => warnings.push(message),
      ...options,
    });
  return { a: await make('redis'), b: await make('ioredis'), warnings };
}

describe('the exchange lock', () => {
  it('one holder at a time; released when done', async () => {
    const server = await redisServer();
    const admin = await adminClient(server.url);
    const { a, b } = await twoStores(server.url);
    const spans: Array<[number, number]> = [];
    const hold = async () => {
      const start = performance.now();
      await sleep(300);
      spans.push([start, performance.now()]);
    };
    await Promise.all([a.withLock(KEY, hold), b.withLock(KEY, hold), a.withLock(KEY, hold)]);
    spans.sort((x, y) => x[0] - y[0]);
    for (let i = 1; i < spans.length; i++) {
      expect(spans[i]?.[0]).toBeGreaterThanOrEqual(spans[i - 1]?.[1] ?? Number.POSITIVE_INFINITY);
    }
    expect(await admin.exists(LOCK)).toBe(0);
  });

  it('is released only by its owner: a lock that expired and was taken over stays with the new owner', async () => {
    const server = await redisServer();
    const admin = await adminClient(server.url);
    const { a } = await twoStores(server.url);
    await a.withLock(KEY, async () => {
      // As if a's lock had expired and another process had taken it.
      await admin.sendCommand(['SET', LOCK, 'someone-else', 'PX', '60000']);
    });
    expect(await admin.get(LOCK)).toBe('someone-else');
  });

  it('is renewed while its holder works: a slow exchange longer than lockTtlMs keeps it', async () => {
    const server = await redisServer();
    const { a, b } = await twoStores(server.url, { lockTtlMs: 1200 });
    let aDone = 0;
    let bStarted = 0;
    const first = a.withLock(KEY, async () => {
      await sleep(3500);
      aDone = performance.now();
    });
    await sleep(100);
    await b.withLock(KEY, async () => {
      bStarted = performance.now();
    });
    await first;
    expect(bStarted).toBeGreaterThanOrEqual(aDone);
  });

  it('a waiter gives up after lockWaitMs and goes ahead, with a warning', async () => {
    const server = await redisServer();
    const admin = await adminClient(server.url);
    // A holder that never lets go (a hung process keeps renewing).
    await admin.sendCommand(['SET', LOCK, 'hung', 'PX', '60000']);
    const { a, warnings } = await twoStores(server.url, { lockWaitMs: 300 });
    expect(await a.withLock(KEY, async () => 'ran')).toBe('ran');
    expect(warnings).toEqual([expect.stringMatching(/waited 300 ms .* without the lock/)]);
  });

  it('with Redis down, calls in one process still take turns', async () => {
    const server = await redisServer();
    const store = redisStore({ url: server.url, prefix: 'locks:', onWarning: () => undefined });
    await server.stop();
    let running = 0;
    let most = 0;
    const work = async () => {
      running++;
      most = Math.max(most, running);
      await sleep(50);
      running--;
    };
    await Promise.all([
      store.withLock(KEY, work),
      store.withLock(KEY, work),
      store.withLock(KEY, work),
    ]);
    expect(most).toBe(1);
    await store.close();
  });
});
