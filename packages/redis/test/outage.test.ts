import { startEmulator } from '@lacework-auth/emulator';
import { describe, expect, it, onTestFinished } from 'vitest';
import {
  distinct,
  fleetEnv,
  type Member,
  type Served,
  startFleet,
  startMember,
} from './support/fleet.js';
import { adminClient, eventually, redisServer, sleep, subscriberCount } from './support/redis.js';

async function emulator() {
  const emu = await startEmulator();
  onTestFinished(() => emu.close());
  return emu;
}

const unavailable = (warnings: string[]) =>
  warnings.filter((warning) => warning.includes('is unavailable'));
const recovered = (warnings: string[]) =>
  warnings.filter((warning) => warning.includes('answers again'));

describe('Redis down or slow never breaks callers', () => {
  it('Redis stopped mid-run: every process keeps serving from its own cache (one warning each), and sharing resumes when Redis returns', {
    timeout: 120_000,
  }, async () => {
    const redis = await redisServer();
    const emu = await emulator();
    const settings = {
      redisUrl: redis.url,
      emulator: emu,
      prefix: 'outage:',
      retryMs: 300,
      commandTimeoutMs: 1000,
    };
    // Two processes with the store's own connection, one with an application's ioredis client
    // (offline queue on: its commands hang until they time out).
    const fleet: Member[] = [
      ...(await startFleet(2, settings)),
      ...(await startFleet(1, { ...settings, client: 'ioredis' })),
    ];
    const [first] = (await Promise.all(fleet.map((member) => member.get()))).flat();
    expect(emu.stats().exchanges).toBe(1);

    await redis.stop();
    // Cached tokens are served without Redis.
    for (const member of fleet) {
      expect(distinct(await member.get(50))).toEqual(new Set([first?.token]));
    }
    // Each process drops its token and gets a new one on its own: the store is bypassed.
    for (const member of fleet) await member.invalidate();
    const own = await Promise.all(fleet.map((member) => member.get(20)));
    for (const served of own) expect(distinct(served).size).toBe(1);
    expect(distinct(own.flat()).size).toBe(3);
    // A process started during the outage works too.
    const late = await startMember(fleetEnv(settings));
    const [lateToken] = await late.get(5);
    expect(emu.isIssuedToken(lateToken?.token ?? '')).toBe(true);
    expect(emu.stats().exchanges).toBe(5);
    for (const member of [...fleet, late]) {
      // More calls, still one warning per process.
      await member.get(10);
      expect(unavailable(await member.warnings())).toHaveLength(1);
    }

    await redis.restart();
    const everyone = [...fleet, late];
    await eventually(
      async () => {
        const all = await Promise.all(everyone.map((member) => member.warnings()));
        return all.every((warnings) => recovered(warnings).length === 1);
      },
      20_000,
      'every process to notice that Redis is back',
    );
    // The tokens they kept went back to Redis: a new process takes one, without an exchange.
    const admin = await adminClient(redis.url);
    await eventually(
      async () => (await admin.keys('outage:*:token')).length === 1,
      10_000,
      'a token to be written back',
    );
    // Sharing resumes at once: a process whose write-back lost drops its own token for Redis's.
    const [tokenKey = ''] = await admin.keys('outage:*:token');
    const stored = JSON.parse((await admin.get(tokenKey)) ?? '{}') as { token?: string };
    await eventually(
      async () => {
        const served = (await Promise.all(everyone.map((member) => member.get()))).flat();
        return served.every((entry) => entry.token === stored.token);
      },
      15_000,
      'the fleet to share the written-back token',
    );
    const newcomer = await startMember(fleetEnv(settings));
    const [shared] = await newcomer.get();
    expect(emu.stats().exchanges).toBe(5);
    const kept = [...own.flat(), lateToken].map((served) => served?.token);
    expect(kept).toContain(shared?.token);
    expect(shared?.token).toBe(stored.token);

    // Sharing again: one invalidate() brings the whole fleet onto one new token, one exchange.
    // (Each process's subscriber reconnects on its own schedule, up to 2 s after Redis is back.)
    await eventually(
      async () => (await subscriberCount(admin, 'outage:')) === everyone.length + 1,
      15_000,
      'every process to subscribe again',
    );
    await newcomer.invalidate();
    const [renewed] = await newcomer.get();
    await eventually(
      async () => {
        const served = (await Promise.all(everyone.map((member) => member.get()))).flat();
        return served.every((entry) => entry.token === renewed?.token);
      },
      30_000,
      'the fleet to share the new token',
    );
    // The invalidated token is gone fleet-wide, replaced by one exchange (no write-back lands after
    // an invalidate() to stand in for it).
    expect(renewed?.token).not.toBe(shared?.token);
    expect(emu.isIssuedToken(renewed?.token ?? '')).toBe(true);
    expect(emu.stats().exchanges).toBe(6);
    for (const member of [...everyone, newcomer]) {
      expect(unavailable(await member.warnings())).toHaveLength(member === newcomer ? 0 : 1);
    }
  });

  it('a frozen Redis (every command hangs): callers get a token within the command timeout, then recover', async () => {
    const redis = await redisServer();
    const emu = await emulator();
    const settings = { redisUrl: redis.url, emulator: emu, retryMs: 300, commandTimeoutMs: 500 };
    const [member] = await startFleet(1, settings);
    if (!member) throw new Error('no member');
    await member.get();

    redis.signal('SIGSTOP');
    onTestFinished(() => void redis.signal('SIGCONT'));
    const started = Date.now();
    await member.invalidate();
    const [own] = await member.get(10);
    // A few command timeouts at most (delete, read, lock), never an unbounded wait.
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(emu.isIssuedToken(own?.token ?? '')).toBe(true);
    expect(unavailable(await member.warnings())).toEqual([
      expect.stringMatching(/unavailable \((DEL|GET|SET): no answer within 500 ms\)/),
    ]);

    redis.signal('SIGCONT');
    await eventually(
      async () => recovered(await member.warnings()).length === 1,
      15_000,
      'the store to notice that Redis answers again',
    );
  });

  it('a token is never served past its expiry, through refreshes and an outage', async () => {
    const redis = await redisServer();
    const emu = await emulator();
    // 2 s tokens: a refresh every second or so, for about 8 s.
    const fleet = await startFleet(3, {
      redisUrl: redis.url,
      emulator: emu,
      expiryTime: 2,
      retryMs: 300,
      commandTimeoutMs: 1000,
    });
    const served: Served[] = [];
    const stopAt = Date.now() + 8000;
    const outage = (async () => {
      await sleep(2500);
      await redis.stop();
      await sleep(2000);
      await redis.restart();
    })();
    await Promise.all(
      fleet.map(async (member) => {
        while (Date.now() < stopAt) {
          served.push(...(await member.get(5)));
          await sleep(20);
        }
      }),
    );
    await outage;
    expect(served.length).toBeGreaterThan(100);
    for (const entry of served) {
      expect(entry.servedAt).toBeLessThan(entry.expiresAt);
      expect(emu.isIssuedToken(entry.token)).toBe(true);
    }
    // The tokens were refreshed along the way, not served for 8 s.
    expect(distinct(served).size).toBeGreaterThan(3);
  });
});
