import { join } from 'node:path';
import { emulator, tempDir } from '@lacework-auth/test-kit/vitest';
import { describe, expect, it } from 'vitest';
import { fileStore } from '../src/stores/file.js';
import { memoryStore } from '../src/stores/memory.js';
import { providerFor } from './support/emulator.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('providers sharing a store', () => {
  it.each([
    ['memoryStore', async () => memoryStore()],
    ['fileStore', async () => fileStore({ dir: join(await tempDir(), 'cache') })],
  ])('%s: a refresh by one provider is adopted by the others', async (_name, makeStore) => {
    const emu = await emulator();
    const store = await makeStore();
    const a = providerFor(emu, { store, expiryTime: 2 });
    const b = providerFor(emu, { store, expiryTime: 2 });
    const first = await a.getToken();
    expect((await b.getToken()).token).toBe(first.token);

    // Into the refresh window: a refreshes, b finds a's new token in the store.
    await sleep(Math.max(0, first.expiresAt.getTime() - Date.now() - 800));
    // Each serves the old token while its refresh runs in the background.
    const settled = async (provider: typeof a) => {
      let { token } = await provider.getToken();
      while (token === first.token && Date.now() < first.expiresAt.getTime()) {
        await sleep(10);
        ({ token } = await provider.getToken());
      }
      return token;
    };
    const refreshed = await settled(a);
    expect(refreshed).not.toBe(first.token);
    expect(await settled(b)).toBe(refreshed);
    expect(emu.stats().exchanges).toBe(2);
  });

  it('different keys, sub-accounts and lifetimes do not share tokens', async () => {
    const emu = await emulator();
    const store = memoryStore();
    const sub = emu.keys[0]?.subAccounts[0] as string;
    const tokens = await Promise.all([
      providerFor(emu, { store }).getToken(),
      providerFor(emu, { store, subAccount: sub }).getToken(),
      providerFor(emu, { store, expiryTime: 600 }).getToken(),
      providerFor(emu, { store, orgAccess: true }).getToken(),
    ]);
    expect(new Set(tokens.map((t) => t.token)).size).toBe(4);
    expect(emu.stats().exchanges).toBe(4);
  });
});
