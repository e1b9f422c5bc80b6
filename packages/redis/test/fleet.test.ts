import { startEmulator } from '@lacework-auth/emulator';
import { describe, expect, it, onTestFinished } from 'vitest';
import { distinct, startFleet } from './support/fleet.js';
import { adminClient, eventually, redisServer, subscriberCount } from './support/redis.js';

async function emulator() {
  const emu = await startEmulator();
  onTestFinished(() => emu.close());
  return emu;
}

describe('a fleet of processes sharing one key through Redis', () => {
  it.each([
    ['their own connections (url)', 'url'],
    ['an application’s ioredis client', 'ioredis'],
  ] as const)(
    '8 processes × 100 concurrent cold callers make 1 exchange: %s',
    async (_name, client) => {
      const redis = await redisServer();
      const emu = await emulator();
      // A slow exchange: every process arrives while the first one holds the lock.
      emu.inject({ route: 'token', delayMs: 300 });
      const fleet = await startFleet(8, { redisUrl: redis.url, emulator: emu, client });
      const served = (await Promise.all(fleet.map((member) => member.get(100)))).flat();
      expect(served).toHaveLength(800);
      expect(distinct(served).size).toBe(1);
      expect(emu.isIssuedToken(served[0]?.token ?? '')).toBe(true);
      expect(emu.stats().exchanges).toBe(1);
      for (const member of fleet) expect(await member.warnings()).toEqual([]);
    },
  );

  it('the lock holder killed mid-exchange: another process takes over after the lock expires, with one exchange', async () => {
    const redis = await redisServer();
    const emu = await emulator();
    const admin = await adminClient(redis.url);
    const prefix = 'kill:';
    // The first exchange never answers: its process holds the lock until it is killed.
    emu.inject({ route: 'token', delayMs: 120_000 });
    const lockTtlMs = 1500;
    const fleet = await startFleet(4, { redisUrl: redis.url, emulator: emu, prefix, lockTtlMs });
    const results = fleet.map((member) => member.get(10).then((served) => ({ member, served })));
    for (const result of results) result.catch(() => undefined);

    // The held exchange has reached the emulator (its fault counts on arrival).
    await eventually(() => emu.stats().faulted === 1, 30_000, 'the first exchange to start');
    const [lock] = await admin.keys(`${prefix}*:lock`);
    const owner = lock ? ((await admin.get(lock)) ?? '') : '';
    // The lock's value names its owner: host/pid/instance/nonce.
    const holderPid = Number(owner.split('/')[1]);
    const holder = fleet.find((member) => member.pid === holderPid);
    expect(holder).toBeDefined();
    holder?.kill('SIGKILL');
    const killedAt = Date.now();

    const survivors = await Promise.all(
      results.map((result) => result.catch(() => undefined)),
    ).then((all) => all.filter((entry) => entry !== undefined));
    const recoveredIn = Date.now() - killedAt;
    expect(survivors.map((entry) => entry.member.pid).sort()).toEqual(
      fleet
        .filter((member) => member !== holder)
        .map((member) => member.pid)
        .sort(),
    );
    const served = survivors.flatMap((entry) => entry.served);
    expect(distinct(served).size).toBe(1);
    expect(emu.isIssuedToken(served[0]?.token ?? '')).toBe(true);
    // The killed holder's exchange never completed; the takeover made the one exchange.
    expect(emu.stats().exchanges).toBe(1);
    expect(emu.requests().filter((entry) => entry.route === 'token')).toHaveLength(2);
    // Bounded: the lock's expiry plus polling, with a wide margin for a loaded machine.
    expect(recoveredIn).toBeLessThan(lockTtlMs + 20_000);
  });

  it('refresh ahead is fleet-wide: one background exchange per token, not one per process', async () => {
    const redis = await redisServer();
    const emu = await emulator();
    // 8 s tokens: the background refresh starts 2 s before expiry, 6 s in.
    const fleet = await startFleet(4, { redisUrl: redis.url, emulator: emu, expiryTime: 8 });
    const first = (await Promise.all(fleet.map((member) => member.get()))).flat();
    expect(distinct(first).size).toBe(1);
    const initial = first[0]?.token;

    const latest = new Map<number, string>();
    await eventually(
      async () => {
        await Promise.all(
          fleet.map(async (member) => {
            const [served] = await member.get();
            if (served) latest.set(member.pid, served.token);
          }),
        );
        return [...latest.values()].every((token) => token !== initial) && latest.size === 4;
      },
      20_000,
      'every process to move to the refreshed token',
    );
    expect(new Set(latest.values()).size).toBe(1);
    expect(emu.stats().exchanges).toBe(2);
  });

  it('invalidate() in one process reaches the others: they drop the token and share one new one', async () => {
    const redis = await redisServer();
    const emu = await emulator();
    const fleet = await startFleet(4, { redisUrl: redis.url, emulator: emu, prefix: 'inv:' });
    const [first] = (await Promise.all(fleet.map((member) => member.get()))).flat();
    const admin = await adminClient(redis.url);
    await eventually(
      async () => (await subscriberCount(admin, 'inv:')) === 4,
      15_000,
      'every process to subscribe',
    );

    await fleet[0]?.invalidate();
    const [renewed] = (await fleet[0]?.get()) ?? [];
    expect(renewed?.token).not.toBe(first?.token);
    await eventually(
      async () => {
        const served = (await Promise.all(fleet.map((member) => member.get()))).flat();
        return served.every((entry) => entry.token === renewed?.token);
      },
      10_000,
      'the other processes to drop the invalidated token',
    );
    expect(emu.stats().exchanges).toBe(2);
  });
});
