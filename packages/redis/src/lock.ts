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
