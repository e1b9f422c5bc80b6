import { emulator } from '@lacework-auth/test-kit/vitest';
import { describe, expect, it } from 'vitest';
import { memoryStore } from '../src/stores/memory.js';
import type { TokenStore } from '../src/stores/types.js';
import { providerFor } from './support/emulator.js';

/**
 * A memoryStore that tells watchers about deletions, as a shared store (Redis pub/sub) tells the
 * other processes. `watching` lists the keys watched right now.
 */
function watchingStore() {
  const inner = memoryStore();
  const watchers = new Map<string, Set<() => void>>();
  const store: TokenStore = {
    get: (key) => inner.get(key),
    set: (key, value) => inner.set(key, value),
    async delete(key) {
      await inner.delete(key);
      for (const onDelete of watchers.get(key) ?? []) onDelete();
    },
    watch(key, onDelete) {
      const set = watchers.get(key) ?? new Set();
      set.add(onDelete);
      watchers.set(key, set);
      return () => set.delete(onDelete);
    },
  };
  const watching = () => [...watchers].filter(([, set]) => set.size > 0).map(([key]) => key);
  return { store, watching };
}

describe('a store with watch(): invalidate() reaches the other providers', () => {
  it('another provider drops the invalidated token and adopts the new one (one exchange)', async () => {
    const emu = await emulator();
    const { store } = watchingStore();
    const a = providerFor(emu, { store });
    const b = providerFor(emu, { store });
    const first = await a.getToken();
    expect((await b.getToken()).token).toBe(first.token);

    await a.invalidate();
    const second = await a.getToken();
    expect(second.token).not.toBe(first.token);
    // b held the first token in memory; the deletion told it to let go.
    expect((await b.getToken()).token).toBe(second.token);
    expect(emu.stats().exchanges).toBe(2);
  });

  it('without watch(), the other provider keeps serving its token from memory', async () => {
    const emu = await emulator();
    const { store } = watchingStore();
    const { watch: _ignored, ...plain } = store;
    const a = providerFor(emu, { store: plain });
    const b = providerFor(emu, { store: plain });
    const first = await a.getToken();
    await b.getToken();
    await a.invalidate();
    await a.getToken();
    expect((await b.getToken()).token).toBe(first.token);
  });

  it('watches the key in use: a rotated key replaces the watch on the previous one', async () => {
    const emu = await emulator();
    const second = emu.addKey();
    const first = emu.keys[0];
    if (!first) throw new Error('no key');
    let current = first;
    const { store, watching } = watchingStore();
    const provider = providerFor(emu, {
      keyId: undefined,
      secret: undefined,
      credentials: () => ({ keyId: current.keyId, secret: current.secret }),
      store,
    });
    await provider.getToken();
    const [before] = watching();
    expect(watching()).toHaveLength(1);
    current = second;
    await provider.getToken({ forceRefresh: true });
    expect(watching()).toHaveLength(1);
    expect(watching()[0]).not.toBe(before);
  });

  it('a watch() that throws is warned about and does not stop the provider', async () => {
    const emu = await emulator();
    const warnings: string[] = [];
    const store: TokenStore = {
      ...memoryStore(),
      watch() {
        throw new Error('no subscriber');
      },
    };
    const provider = providerFor(emu, { store, onWarning: (message) => warnings.push(message) });
    expect(emu.isIssuedToken((await provider.getToken()).token)).toBe(true);
    expect(warnings).toEqual([expect.stringContaining('could not watch the token store')]);
  });
});
