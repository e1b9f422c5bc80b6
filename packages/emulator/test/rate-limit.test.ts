import { describe, expect, it } from 'vitest';
import { api, emulator, exchange, sleep, token } from './support/helpers.js';

function limits(res: Response) {
  return ['ratelimit-limit', 'ratelimit-remaining', 'ratelimit-reset'].map((h) =>
    res.headers.get(h),
  );
}

describe('rate limit', () => {
  it('defaults to 480 per hour and sends RateLimit-* headers on every response', async () => {
    const emu = await emulator();
    const res = await exchange(emu);
    expect(limits(res)).toEqual(['480', '479', '3600']);
    const { token: tok } = (await res.json()) as { token: string };
    expect(limits(await api(emu, '/api/v2/UserProfile', tok))).toEqual(['480', '478', '3600']);
    for (const r of [
      await api(emu, '/api/v2/Nope', tok),
      await api(emu, '/nowhere', undefined),
      await api(emu, '/api/v2/Echo', undefined),
      await exchange(emu, { secret: '_x' }),
    ]) {
      expect(r.headers.get('ratelimit-limit')).toBe('480');
    }
  });

  it('counts the token endpoint and API calls of a key together, then answers 429 {"message"}', async () => {
    const emu = await emulator({ rateLimit: { limit: 3, windowMs: 60_000 } });
    const tok = await token(emu);
    expect((await api(emu, '/api/v2/UserProfile', tok)).status).toBe(200);
    const last = await api(emu, '/api/v2/CloudAccounts', tok);
    expect(limits(last)).toEqual(['3', '0', '60']);
    const limited = await api(emu, '/api/v2/UserProfile', tok);
    expect(limited.status).toBe(429);
    expect(limits(limited)).toEqual(['3', '0', '60']);
    expect(limited.headers.get('retry-after')).toBeNull();
    expect(((await limited.json()) as { message: string }).message).toMatch(/Rate limit exceeded/);
    expect((await exchange(emu)).status).toBe(429);
    expect(emu.stats()).toMatchObject({ exchanges: 1, apiCalls: 2, rateLimited: 2 });
  });

  it('keeps one window per keyId', async () => {
    const emu = await emulator({ keys: [{}, {}], rateLimit: { limit: 1, windowMs: 60_000 } });
    const [a, b] = emu.keys;
    expect((await exchange(emu, { keyId: a?.keyId, secret: a?.secret })).status).toBe(201);
    expect((await exchange(emu, { keyId: a?.keyId, secret: a?.secret })).status).toBe(429);
    expect((await exchange(emu, { keyId: b?.keyId, secret: b?.secret })).status).toBe(201);
  });

  it('counts failed exchanges of a known key (no free guessing)', async () => {
    const emu = await emulator({ rateLimit: { limit: 2, windowMs: 60_000 } });
    expect((await exchange(emu, { secret: '_wrong' })).status).toBe(401);
    expect((await exchange(emu, { secret: '_wrong' })).status).toBe(401);
    expect((await exchange(emu)).status).toBe(429);
  });

  it('opens a new window after windowMs', async () => {
    // Wide enough that both exchanges land in the first window on a loaded machine; at most 1 s,
    // so the reset is always reported as 1 s.
    const emu = await emulator({ rateLimit: { limit: 1, windowMs: 1000 } });
    expect((await exchange(emu)).status).toBe(201);
    const limited = await exchange(emu);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('ratelimit-reset')).toBe('1');
    await sleep(1020);
    expect((await exchange(emu)).status).toBe(201);
  });

  it('sends Retry-After on 429 only when retryAfter is true', async () => {
    const emu = await emulator({ rateLimit: { limit: 1, windowMs: 5_000 }, retryAfter: true });
    expect((await exchange(emu)).headers.get('retry-after')).toBeNull();
    const limited = await exchange(emu);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('5');
  });

  it('resetRateLimit() starts every window afresh', async () => {
    const emu = await emulator({ rateLimit: { limit: 1, windowMs: 60_000 } });
    await exchange(emu);
    expect((await exchange(emu)).status).toBe(429);
    emu.resetRateLimit();
    expect((await exchange(emu)).status).toBe(201);
  });

  // 500 exchanges: more than the default 480 per window. Sent 25 at a time with a generous timeout:
  // 500 at once took over 5 s on a busy 2-core machine and failed the whole test run.
  it('rateLimit: false means no limit and no headers', { timeout: 60_000 }, async () => {
    const emu = await emulator({ rateLimit: false });
    const results: Response[] = [];
    for (let batch = 0; batch < 20; batch++) {
      results.push(...(await Promise.all(Array.from({ length: 25 }, () => exchange(emu)))));
    }
    expect(results.every((r) => r.status === 201)).toBe(true);
    expect(results[0]?.headers.get('ratelimit-limit')).toBeNull();
  });
});
