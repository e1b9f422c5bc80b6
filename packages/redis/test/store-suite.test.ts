import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeTokenStore } from '../../core/test/support/store-suite.js';
import { redisStore } from '../src/store.js';
import {
  adminClient,
  CLIENT_KINDS,
  connectClient,
  type RedisServer,
  redisServer,
} from './support/redis.js';

let server: RedisServer;
const cleanups: Array<() => Promise<void>> = [];
beforeAll(async () => {
  server = await redisServer((fn) => cleanups.push(fn));
  return async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  };
});

// Each store gets its own prefix: the tests of one file share a server.
const freshPrefix = () => `t-${randomBytes(4).toString('hex')}:`;

for (const kind of CLIENT_KINDS) {
  describeTokenStore(`redisStore with a ${kind} client`, async () =>
    redisStore({ client: await connectClient(kind, server.url), prefix: freshPrefix() }),
  );
}
describeTokenStore('redisStore with a url', () => {
  const store = redisStore({ url: server.url, prefix: freshPrefix() });
  cleanups.push(() => store.close());
  return store;
});

describe('what redisStore writes', () => {
  it('a JSON {token, expiresAt} under <prefix>{<key>}:token that Redis expires with the token', async () => {
    const prefix = freshPrefix();
    const store = redisStore({ client: await connectClient('redis', server.url), prefix });
    const admin = await adminClient(server.url);
    const expiresAt = Date.now() + 60_000;
    await store.set('lw-abc', { token: 'token-a', expiresAt });
    expect(JSON.parse((await admin.get(`${prefix}{lw-abc}:token`)) ?? '')).toEqual({
      token: 'token-a',
      expiresAt,
    });
    // PXAT: the key's expiry is the token's, to the millisecond.
    expect(await admin.sendCommand(['PEXPIRETIME', `${prefix}{lw-abc}:token`])).toBe(expiresAt);
  });

  it('hashes keys that could break the hash tag, so each token keeps one slot', async () => {
    const prefix = freshPrefix();
    const store = redisStore({ client: await connectClient('ioredis', server.url), prefix });
    const admin = await adminClient(server.url);
    await store.set('a}{b', { token: 'token-x', expiresAt: Date.now() + 60_000 });
    const keys = await admin.keys(`${prefix}*`);
    expect(keys).toEqual([expect.stringMatching(/^t-[0-9a-f]{8}:\{h-[0-9a-f]{64}\}:token$/)]);
  });

  it('treats a foreign or corrupt value as missing', async () => {
    const prefix = freshPrefix();
    const store = redisStore({ client: await connectClient('redis5', server.url), prefix });
    const admin = await adminClient(server.url);
    await admin.set(`${prefix}{lw-a}:token`, 'not json');
    await admin.set(`${prefix}{lw-b}:token`, JSON.stringify({ token: 1, expiresAt: 'soon' }));
    expect(await store.get('lw-a')).toBeUndefined();
    expect(await store.get('lw-b')).toBeUndefined();
  });
});
