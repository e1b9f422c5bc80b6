import { emulator } from '@lacework-auth/test-kit/vitest';
import { describe, expect, it } from 'vitest';
import { memoryBudgetStore } from '../src/budget/stores.js';
import { createLaceworkClient } from '../src/client/client.js';

// The emulator's limit scaled down from 480 per hour to 500 per 3 s, so that a 2,000-call
// script crosses four windows in seconds rather than four hours.
const LIMIT = 500;
const WINDOW_MS = 3_000;
const CALLS = 2_000;
const WORKERS = 16;

/** The most sends that fall within any `windowMs` (sorted times). */
function busiestWindow(times: readonly number[], windowMs: number): number {
  let most = 0;
  let start = 0;
  for (let end = 0; end < times.length; end++) {
    while ((times[end] as number) - (times[start] as number) >= windowMs) start++;
    most = Math.max(most, end - start + 1);
  }
  return most;
}

describe('a 2,000-call script paced by the budget', () => {
  it('finishes with no 429 and never sends more than the budget in any window', async () => {
    const emu = await emulator({ rateLimit: { limit: LIMIT, windowMs: WINDOW_MS } });
    const key = emu.keys[0];
    if (!key) throw new Error('no key');
    // Records the moment each request (token exchange included) leaves for the emulator.
    const sentAt: number[] = [];
    const recordingFetch: typeof fetch = (input, init) => {
      sentAt.push(Date.now());
      return fetch(input, init);
    };
    const lacework = createLaceworkClient({
      baseUrl: emu.url,
      keyId: key.keyId,
      secret: key.secret,
      env: {},
      // No retries: a 429 would fail the script instead of being waited out.
      retry: 0,
      fetch: recordingFetch,
      budget: { limit: LIMIT, windowMs: WINDOW_MS, store: memoryBudgetStore() },
    });

    let next = 0;
    let done = 0;
    const worker = async () => {
      while (next < CALLS) {
        next++;
        const profile = await lacework.get('UserProfile').json<{ data: unknown[] }>();
        expect(profile.data).toHaveLength(1);
        done++;
      }
    };
    await Promise.all(Array.from({ length: WORKERS }, worker));

    expect(done).toBe(CALLS);
    expect(emu.stats()).toMatchObject({ apiCalls: CALLS, exchanges: 1, rateLimited: 0 });
    expect(sentAt).toHaveLength(CALLS + 1);
    expect(busiestWindow(sentAt, WINDOW_MS)).toBeLessThanOrEqual(LIMIT);
    // It really had to pace: 2,001 calls need at least four full windows after the first.
    expect((sentAt.at(-1) as number) - (sentAt[0] as number)).toBeGreaterThanOrEqual(
      4 * WINDOW_MS - 100,
    );
  }, 120_000);
});
