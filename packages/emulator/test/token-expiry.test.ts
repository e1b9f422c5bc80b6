import { describe, expect, it } from 'vitest';
import { api, emulator, sleep, token } from './support/helpers.js';

describe('token expiry', () => {
  it('accepts a 1 s token until it expires, then answers 403 "User not authorized."', async () => {
    const emu = await emulator();
    const [short, long] = [await token(emu, 1), await token(emu, 60)];
    expect((await api(emu, '/api/v2/UserProfile', short)).status).toBe(200);
    await sleep(1050);
    const res = await api(emu, '/api/v2/UserProfile', short);
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ message: 'User not authorized.' });
    expect(emu.isIssuedToken(short)).toBe(true);
    // Expiry is per token: the key and its other tokens keep working.
    expect((await api(emu, '/api/v2/UserProfile', long)).status).toBe(200);
  });
});
