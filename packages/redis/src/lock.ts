// Compare-and-delete and compare-and-extend: only the owner's id releases or renews the lock, in one
// atomic step (a plain GET then DEL could delete a lock another process took in between).

/** KEYS[1] lock, ARGV[1] owner → 1 when released, 0 when not ours (expired, taken over). */
export const RELEASE_SCRIPT = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

/** KEYS[1] lock, ARGV[1] owner, ARGV[2] ttl ms → 1 when extended, 0 when not ours any more. */
export const RENEW_SCRIPT = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0`;

/** Runs `fn`s for the same key one after another in this process (single flight without Redis). */
export function keyedQueue() {
  const tails = new Map<string, Promise<void>>();
  return async function serial<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const previous = tails.get(key) ?? Promise.resolve();
    let done = () => {};
    const mine = new Promise<void>((resolve) => {
      done = resolve;
    });
    const tail = previous.then(() => mine);
    tails.set(key, tail);
    await previous;
    try {
      return await fn();
    } finally {
      done();
      if (tails.get(key) === tail) tails.delete(key);
    }
  };
}

/**
 * KEYS[1] token, KEYS[2] lock, ARGV[1] value, ARGV[2] expiry (ms since the epoch) → 'OK' when
 * written back. Not while another process holds the lock (its exchange's token is the fleet's next),
 * nor over anything in `:token`: a newer token, or the mark `invalidate()` leaves for a moment.
 */
export const WRITE_BACK_SCRIPT = `if redis.call('GET', KEYS[2]) then return false end return redis.call('SET', KEYS[1], ARGV[1], 'PXAT', ARGV[2], 'NX')`;
