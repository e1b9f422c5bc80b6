import { describe, expect, it } from 'vitest';
import { api, emulator, exchange, token } from './support/helpers.js';

describe('revocation and keys', () => {
  it('revokeTokens() makes every issued token answer 403 "User not authorized."', async () => {
    const emu = await emulator();
    const [a, b] = [await token(emu), await token(emu)];
    expect(emu.revokeTokens()).toBe(2);
    for (const t of [a, b]) {
      const res = await api(emu, '/api/v2/UserProfile', t);
      expect(res.status).toBe(403);
      expect(await res.json()).toEqual({ message: 'User not authorized.' });
    }
    expect(emu.isIssuedToken(a)).toBe(true);
    expect((await api(emu, '/api/v2/UserProfile', await token(emu))).status).toBe(200);
  });

  it('revokeTokens(keyId) revokes only that key’s tokens', async () => {
    const emu = await emulator({ keys: [{}, {}] });
    const second = emu.keys[1];
    const a = await token(emu);
    const res = await exchange(emu, { keyId: second?.keyId, secret: second?.secret });
    const { token: b } = (await res.json()) as { token: string };
    expect(emu.revokeTokens(second?.keyId)).toBe(1);
    expect((await api(emu, '/api/v2/UserProfile', a)).status).toBe(200);
    expect((await api(emu, '/api/v2/UserProfile', b)).status).toBe(403);
  });

  it('keys cannot be changed in place', async () => {
    const emu = await emulator();
    const key = emu.keys[0];
    expect(() => {
      (key as { secret: string }).secret = '_other';
    }).toThrow(TypeError);
    expect(() => key?.subAccounts.push('x')).toThrow(TypeError);
  });

  it('isIssuedToken() knows only its own tokens', async () => {
    const emu = await emulator();
    expect(emu.isIssuedToken('ABC')).toBe(false);
    expect(emu.isIssuedToken(emu.keys[0]?.secret ?? '')).toBe(false);
  });

  it('addKey() and removeKey() support key rotation', async () => {
    const emu = await emulator();
    const old = emu.keys[0];
    const oldToken = await token(emu);
    const fresh = emu.addKey({ account: 'emulator' });
    expect(emu.keys).toHaveLength(2);
    expect(emu.removeKey(old?.keyId ?? '')).toBe(true);
    expect(emu.keys).toEqual([fresh]);
    expect((await exchange(emu, { keyId: old?.keyId, secret: old?.secret })).status).toBe(401);
    expect((await api(emu, '/api/v2/UserProfile', oldToken)).status).toBe(403);
    expect((await exchange(emu)).status).toBe(201);
    expect(() => emu.addKey({ keyId: fresh.keyId })).toThrow(
      expect.objectContaining({ code: 'ERR_LW_INVALID_OPTION', option: 'keyId' }),
    );
  });
});
