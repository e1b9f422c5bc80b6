import { createClient } from 'redis';
import { describe, expect, it, onTestFinished } from 'vitest';
import { redisStore } from '../src/store.js';
import { adminClient, eventually, redisServer } from './support/redis.js';

const KEY = 'lw-writeback';
const later = () => Date.now() + 60_000;

/**
 * A real node-redis client whose commands writing `:token` (other than a plain read) wait for
 * `release()` once `hold()` is called: a write-back that a busy machine sends late, made certain.
 */
async function delayingClient(url: string) {
  const client = createClient({ url });
  client.on('error', () => undefined);
  await client.connect();
  onTestFinished(async () => {
    if (client.isOpen) client.destroy();
  });
  let gate: Promise<void> | undefined;
  let open = () => {};
  let held = 0;
  let answered = 0;
  const sendCommand = (args: string[], options?: object) => {
    const writesToken = args[0] !== 'GET' && args.some((arg) => arg.endsWith(':token'));
    if (!gate || !writesToken) return client.sendCommand(args, options);
    held++;
    return gate
      .then(() => client.sendCommand(args, options))
      .finally(() => {
        answered++;
      });
  };
  const proxy = new Proxy(client, {
    get(target, name) {
      if (name === 'sendCommand') return sendCommand;
      const value = Reflect.get(target, name, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return {
    client: proxy,
    hold() {
      gate = new Promise((resolve) => {
        open = resolve;
      });
    },
    held: () => held,
    answered: () => answered,
    release() {
      open();
      gate = undefined;
    },
  };
}

describe('writing back after an outage', () => {
  it('a write-back sent before an invalidate() cannot bring the invalidated token back', async () => {
    const redis = await redisServer();
    const prefix = 'wb:';
    const settings = { prefix, retryMs: 100, commandTimeoutMs: 5000, onWarning: () => undefined };
    const late = await delayingClient(redis.url);
    const member = redisStore({ ...settings, client: late.client });
    const other = redisStore({ ...settings, url: redis.url });
    onTestFinished(async () => void (await Promise.all([member.close(), other.close()])));
    const dropped: number[] = [];
    member.watch(KEY, () => dropped.push(Date.now()));

    // The member holds the fleet's token, then loses Redis and keeps serving it.
    const shared = { token: 'token-shared', expiresAt: later() };
    await other.set(KEY, shared);
    expect(await member.get(KEY)).toEqual(shared);
    await redis.stop();
    expect(await member.get(KEY)).toEqual(shared);

    // Redis is back (empty); the member's write-back of that token is on its way, but late.
    late.hold();
    await redis.restart();
    await eventually(() => late.held() === 1, 15_000, 'the write-back to be sent');
    // Meanwhile another process invalidates the key (the API refused that token).
    await other.delete(KEY);
    late.release();
    await eventually(() => late.answered() === 1, 10_000, 'the write-back to be answered');

    // It did not land: the invalidated token is not in Redis for anyone to adopt, and the member
    // drops its own copy (its watchers hear of it, as for a deletion).
    const admin = await adminClient(redis.url);
    expect(await admin.get(`${prefix}{${KEY}}:token`)).not.toContain('token-shared');
    expect(await other.get(KEY)).toBeUndefined();
    await eventually(() => dropped.length === 1, 10_000, 'the member to drop its token');
    expect(await member.get(KEY)).toBeUndefined();
  });

  it('a process whose write-back loses drops its own token and takes the one in Redis', async () => {
    const redis = await redisServer();
    const settings = { prefix: 'wb2:', retryMs: 100, onWarning: () => undefined };
    const late = await delayingClient(redis.url);
    const member = redisStore({ ...settings, client: late.client });
    onTestFinished(() => member.close());
    const dropped: number[] = [];
    member.watch(KEY, () => dropped.push(Date.now()));
    await member.get(KEY);

    // During the outage the member gets a token of its own; when Redis is back, another process
    // writes its token before the member's write-back arrives.
    await redis.stop();
    await member.set(KEY, { token: 'token-own', expiresAt: later() });
    late.hold();
    await redis.restart();
    await eventually(() => late.held() === 1, 15_000, 'the write-back to be sent');
    const fleet = { token: 'token-fleet', expiresAt: later() };
    const admin = await adminClient(redis.url);
    await admin.set('wb2:{lw-writeback}:token', JSON.stringify(fleet));
    late.release();

    await eventually(() => dropped.length === 1, 10_000, 'the member to drop its own token');
    expect(await member.get(KEY)).toEqual(fleet);
  });
});
