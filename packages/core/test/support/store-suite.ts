import { describe, expect, it } from 'vitest';
import type { TokenStore } from '../../src/stores/types.js';

/**
 * The behaviour every {@link TokenStore} must have. Each store's test file calls this with a
 * factory; stores with extra guarantees (files, locks) add their own tests.
 */
export function describeTokenStore(name: string, create: () => Promise<TokenStore> | TokenStore) {
  describe(`${name} (TokenStore contract)`, () => {
    it('returns undefined for a missing key', async () => {
      const store = await create();
      expect(await store.get('lw-missing')).toBeFalsy();
    });

    it('returns what was set, with an absolute expiresAt', async () => {
      const store = await create();
      const expiresAt = Date.now() + 60_000;
      await store.set('lw-a', { token: 'token-a', expiresAt });
      expect(await store.get('lw-a')).toEqual({ token: 'token-a', expiresAt });
    });

    it('keeps keys apart and replaces on set', async () => {
      const store = await create();
      const expiresAt = Date.now() + 60_000;
      await store.set('lw-a', { token: 'token-a', expiresAt });
      await store.set('lw-b', { token: 'token-b', expiresAt });
      await store.set('lw-a', { token: 'token-a2', expiresAt: expiresAt + 1 });
      expect(await store.get('lw-a')).toEqual({ token: 'token-a2', expiresAt: expiresAt + 1 });
      expect(await store.get('lw-b')).toEqual({ token: 'token-b', expiresAt });
    });

    it('deletes, and deleting a missing key is fine', async () => {
      const store = await create();
      await store.set('lw-a', { token: 'token-a', expiresAt: Date.now() + 60_000 });
      await store.delete('lw-a');
      await store.delete('lw-never-set');
      expect(await store.get('lw-a')).toBeFalsy();
    });

    it('does not return expired tokens', async () => {
      const store = await create();
      await store.set('lw-old', { token: 'token-old', expiresAt: Date.now() - 1 });
      expect(await store.get('lw-old')).toBeFalsy();
    });

    it('accepts keys with characters unsafe in file names', async () => {
      const store = await create();
      const key = '../../etc/passwd:/?*';
      await store.set(key, { token: 'token-x', expiresAt: Date.now() + 60_000 });
      expect((await store.get(key))?.token).toBe('token-x');
    });

    it('returns copies, so callers cannot mutate the stored entry', async () => {
      const store = await create();
      await store.set('lw-a', { token: 'token-a', expiresAt: Date.now() + 60_000 });
      const first = await store.get('lw-a');
      if (first) first.token = 'mutated';
      expect((await store.get('lw-a'))?.token).toBe('token-a');
    });
  });
}
