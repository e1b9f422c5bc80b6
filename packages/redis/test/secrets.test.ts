import { startEmulator } from '@lacework-auth/emulator';
import { expect, it, onTestFinished } from 'vitest';
import { startFleet } from './support/fleet.js';
import { adminClient, dumpAll, eventually, redisServer } from './support/redis.js';

const SECRET = '_canary_redis_7d2f9a41c0b84e65a3d1f8c2b6e0a9d4';
const KEY_ID = 'CANARY_REDIS_0123456789ABCDEF0123456789ABCDEF0123';

it('the secret is in no Redis key, value or command, and in no process output', async () => {
  const redis = await redisServer();
  const emu = await startEmulator({ keys: [{ keyId: KEY_ID, secret: SECRET }] });
  onTestFinished(() => emu.close());
  // Every command Redis receives, from every connection.
  const monitor = await adminClient(redis.url);
  const commands: string[] = [];
  await monitor.monitor((line) => commands.push(String(line)));

  const fleet = await startFleet(3, { redisUrl: redis.url, emulator: emu, expiryTime: 3 });
  await Promise.all(fleet.map((member) => member.get(20)));
  await fleet[0]?.invalidate();
  await Promise.all(fleet.map((member) => member.get(20)));
  // Through a background refresh too (3 s tokens).
  await eventually(
    async () => {
      await Promise.all(fleet.map((member) => member.get()));
      return emu.stats().exchanges >= 3;
    },
    15_000,
    'a refresh',
  );

  const entries = await dumpAll(redis.url);
  expect(entries.length).toBeGreaterThan(0);
  expect(commands.length).toBeGreaterThan(10);
  const everything = [
    ...entries.map((entry) => `${entry.key} ${entry.value}`),
    ...commands,
    ...fleet.map((member) => member.output()),
    ...(await Promise.all(fleet.map((member) => member.warnings()))).flat(),
  ].join('\n');
  expect(everything).not.toContain(SECRET);
  // The key id is hashed into the cache key too.
  expect(everything).not.toContain(KEY_ID);
  // What is there: tokens with their expiry.
  expect(entries.some((entry) => /"token":"[0-9A-F]+","expiresAt":\d+/.test(entry.value))).toBe(
    true,
  );
});
