import { emulator } from '@lacework-auth/test-kit/vitest';
import { describe, expect, it } from 'vitest';
import { createLaceworkClient } from '../src/client/client.js';
import type { Credentials } from '../src/credentials/resolve.js';
import { createTokenProvider } from '../src/provider/token-provider.js';
import { rejectionOf } from './support/emulator.js';

describe('key rotation with a credentials function', () => {
  it('re-reads the key at each exchange, so a rotated key works without a restart', async () => {
    const emu = await emulator();
    const oldKey = emu.keys[0];
    if (!oldKey) throw new Error('no key');
    let current: Credentials = { keyId: oldKey.keyId, secret: oldKey.secret };
    let reads = 0;
    const provider = createTokenProvider({
      baseUrl: emu.url,
      env: {},
      credentials: async () => {
        reads++;
        return current;
      },
    });
    const client = createLaceworkClient({ tokenProvider: provider });
    await client.get('UserProfile').json();
    await client.get('UserProfile').json();
    expect(reads).toBe(1);

    // Rotate: a new key is issued and the old one deleted (its tokens stop working).
    const newKey = emu.addKey();
    current = { keyId: newKey.keyId, secret: newKey.secret };
    emu.removeKey(oldKey.keyId);
    await client.get('UserProfile').json();
    expect(reads).toBe(2);
    const last = emu
      .requests()
      .filter((entry) => entry.route === 'token')
      .at(-1);
    expect(last?.keyId).toBe(newKey.keyId);
  });

  it('a credentials object works like explicit options', async () => {
    const emu = await emulator();
    const key = emu.keys[0];
    if (!key) throw new Error('no key');
    const provider = createTokenProvider({
      env: {},
      credentials: { baseUrl: emu.url, keyId: key.keyId, secret: key.secret },
    });
    expect(provider.baseUrl).toBe(emu.url);
    expect(emu.isIssuedToken((await provider.getToken()).token)).toBe(true);
  });

  it('a function returning a key for another account is refused before sending', async () => {
    const emu = await emulator();
    const provider = createTokenProvider({
      baseUrl: emu.url,
      env: {},
      credentials: () => ({ account: 'elsewhere', keyId: 'K', secret: '_s' }),
    });
    const error = await rejectionOf(provider.getToken());
    expect(error.code).toBe('ERR_LW_INVALID_OPTION');
    expect(error.message).toMatch(/one provider per account/);
    const throwing = createTokenProvider({
      baseUrl: emu.url,
      env: {},
      credentials: () => {
        throw new Error('vault down');
      },
    });
    expect((await rejectionOf(throwing.getToken())).message).toMatch(
      /`credentials` function failed/,
    );
    expect(emu.stats().requests).toBe(0);
  });
});
