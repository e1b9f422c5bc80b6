import { createTokenProvider, type TokenStore } from '@lacework-auth/core';
import { startEmulator } from '@lacework-auth/emulator';
import { keyOptions } from '@lacework-auth/test-kit';
import { Cluster } from 'ioredis';
import { createClient, createCluster } from 'redis';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startRedisServer } from '../../../scripts/ensure-redis.mjs';
import { redisStore } from '../src/store.js';
import { adminClient, eventually, type RedisServer, redisServer } from './support/redis.js';

async function emulator() {
  const emu = await startEmulator();
  onTestFinished(() => emu.close());
  return emu;
}

/** Two providers on two stores (two connections: two processes), sharing one key. */
async function shareOneKey(stores: [TokenStore, TokenStore]) {
  const emu = await emulator();
  const key = emu.keys[0];
  if (!key) throw new Error('no key');
  const [a, b] = stores.map((store) =>
    createTokenProvider({ baseUrl: emu.url, keyId: key.keyId, secret: key.secret, env: {}, store }),
  ) as [ReturnType<typeof createTokenProvider>, ReturnType<typeof createTokenProvider>];
  const [first, second] = await Promise.all([a.getToken(), b.getToken()]);
  expect(second.token).toBe(first.token);
  expect(emu.stats().exchanges).toBe(1);
  // b's invalidate() reaches a over pub/sub.
  await eventually(
    async () => {
      await b.invalidate();
      const renewed = await b.getToken();
      return (await a.getToken()).token === renewed.token;
    },
    10_000,
    'a to take b’s new token',
  );
  return emu;
}

/** A one-node Redis Cluster owning every slot. */
async function clusterServer(): Promise<RedisServer> {
  const server = await startRedisServer({
    extraArgs: ['--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf'].concat([
      '--cluster-announce-ip',
      '127.0.0.1',
    ]),
  });
  onTestFinished(() => server.close());
  const admin = await adminClient(server.url);
  await admin.sendCommand(['CLUSTER', 'ADDSLOTSRANGE', '0', '16383']);
  await eventually(
    async () => String(await admin.sendCommand(['CLUSTER', 'INFO'])).includes('cluster_state:ok'),
    10_000,
    'the cluster to be ready',
  );
  return server;
}

describe('Redis Cluster', () => {
  it.each(['node-redis createCluster', 'ioredis Cluster'])(
    '%s: one exchange, invalidate() reaches the other store, a token’s keys share one slot',
    async (kind) => {
      const server = await clusterServer();
      const warnings: string[] = [];
      const connect = async () => {
        if (kind === 'ioredis Cluster') {
          const cluster = new Cluster([{ host: '127.0.0.1', port: server.port }]);
          cluster.on('error', () => undefined);
          onTestFinished(() => void cluster.disconnect());
          return cluster;
        }
        const cluster = createCluster({ rootNodes: [{ url: server.url }] });
        cluster.on('error', () => undefined);
        await cluster.connect();
        onTestFinished(() => cluster.destroy());
        return cluster;
      };
      const store = async () =>
        redisStore({ client: await connect(), onWarning: (message) => warnings.push(message) });
      await shareOneKey([await store(), await store()]);
      expect(warnings).toEqual([]);

      const admin = await adminClient(server.url);
      const keys = await admin.keys('lacework-auth:*');
      expect(keys.length).toBeGreaterThan(0);
      const tag = (keys[0] ?? '').replace(/:token$/, '');
      const slots = await Promise.all(
        [`${tag}:token`, `${tag}:lock`, `${tag}:deleted`].map((name) =>
          admin.sendCommand(['CLUSTER', 'KEYSLOT', name]),
        ),
      );
      expect(new Set(slots).size).toBe(1);
    },
  );
});

// The commands the README lists for an ACL user, and nothing else.
const ACL_COMMANDS = [
  'get',
  'set',
  'del',
  'eval',
  'pexpire',
  'publish',
  'subscribe',
  'unsubscribe',
  'ping',
];

describe('Redis ACLs', () => {
  async function aclUser(server: RedisServer, commands: string[]) {
    const admin = await adminClient(server.url);
    await admin.sendCommand([
      'ACL',
      'SETUSER',
      'lw',
      'on',
      '>lw-password',
      'resetkeys',
      '~lacework-auth:*',
      'resetchannels',
      '&lacework-auth:*',
      '-@all',
      ...commands.map((command) => `+${command}`),
    ]);
    await admin.sendCommand(['ACL', 'LOG', 'RESET']);
    return { url: `redis://lw:lw-password@127.0.0.1:${server.port}`, admin };
  }

  it('a user allowed only the listed commands, keys and channels is enough', async () => {
    const server = await redisServer();
    const { url, admin } = await aclUser(server, ACL_COMMANDS);
    const warnings: string[] = [];
    const onWarning = (message: string) => warnings.push(message);
    const client = createClient({ url });
    client.on('error', () => undefined);
    await client.connect();
    onTestFinished(() => client.destroy());
    const byUrl = redisStore({ url, onWarning });
    onTestFinished(() => byUrl.close());
    await shareOneKey([redisStore({ client, onWarning }), byUrl]);
    expect(warnings).toEqual([]);
    expect(await admin.sendCommand(['ACL', 'LOG'])).toEqual([]);
  });

  it('a missing permission gives one warning naming the refusal, and callers still get tokens', async () => {
    const server = await redisServer();
    const { url } = await aclUser(
      server,
      ACL_COMMANDS.filter((command) => command !== 'publish'),
    );
    const warnings: string[] = [];
    const store = redisStore({ url, onWarning: (message) => warnings.push(message) });
    onTestFinished(() => store.close());
    const emu = await emulator();
    const provider = createTokenProvider({
      ...keyOptions(emu),
      env: {},
      store,
    });
    await provider.getToken();
    await provider.invalidate();
    expect(emu.isIssuedToken((await provider.getToken()).token)).toBe(true);
    expect(warnings).toEqual([expect.stringContaining('(PUBLISH: NOPERM)')]);
  });
});
