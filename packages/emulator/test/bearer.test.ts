import { describe, expect, it } from 'vitest';
import { api, emulator, token } from './support/helpers.js';

describe('bearer check on API routes', () => {
  it.each([
    ['Bearer <token>', (t: string) => `Bearer ${t}`],
    ['bearer <token>', (t: string) => `bearer ${t}`],
  ])('accepts %s', async (_name, format) => {
    const emu = await emulator();
    const tok = await token(emu);
    const res = await fetch(`${emu.url}/api/v2/UserProfile`, {
      headers: { Authorization: format(tok) },
    });
    expect(res.status).toBe(200);
  });

  it('accepts a bare token by default, as Lacework does for the Go SDK, CLI and Terraform', async () => {
    const emu = await emulator();
    const tok = await token(emu);
    const res = await fetch(`${emu.url}/api/v2/UserProfile`, { headers: { Authorization: tok } });
    expect(res.status).toBe(200);
    expect(emu.stats()).toMatchObject({ apiCalls: 1, rejected: 0 });
  });

  it('answers 403 to a value under another scheme (it is no token it issued)', async () => {
    const emu = await emulator();
    const tok = await token(emu);
    const res = await fetch(`${emu.url}/api/v2/UserProfile`, {
      headers: { Authorization: `Token ${tok}` },
    });
    expect(res.status).toBe(403);
  });

  it.each([
    ['a bare token', (t: string) => t],
    ['another scheme', (t: string) => `Token ${t}`],
  ])(
    'answers 401 {"message"} to %s in strict mode (`bareTokens: false`)',
    async (_name, format) => {
      const emu = await emulator({ bareTokens: false });
      const tok = await token(emu);
      const res = await fetch(`${emu.url}/api/v2/UserProfile`, {
        headers: { Authorization: format(tok) },
      });
      expect(res.status).toBe(401);
      expect(((await res.json()) as { message: string }).message).toMatch(/Bearer <token>/);
      expect(emu.stats()).toMatchObject({ apiCalls: 0, rejected: 1 });
      const ok = await fetch(`${emu.url}/api/v2/UserProfile`, {
        headers: { Authorization: `Bearer ${tok}` },
      });
      expect(ok.status).toBe(200);
    },
  );

  it('answers 401 {"message"} without Authorization', async () => {
    const emu = await emulator();
    const res = await api(emu, '/api/v2/UserProfile', undefined);
    expect(res.status).toBe(401);
    expect(((await res.json()) as { message: string }).message).toMatch(/Authorization/);
  });

  it('answers 403 "User not authorized." to an unknown token', async () => {
    const emu = await emulator();
    const res = await api(emu, '/api/v2/CloudAccounts', 'DEADBEEF');
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ message: 'User not authorized.' });
  });

  it('answers 403 to a key secret used as a bearer token', async () => {
    const emu = await emulator();
    const res = await api(emu, '/api/v2/UserProfile', emu.keys[0]?.secret);
    expect(res.status).toBe(403);
  });

  it('counts only authorized calls as API calls', async () => {
    const emu = await emulator();
    const tok = await token(emu);
    await api(emu, '/api/v2/UserProfile', tok);
    await api(emu, '/api/v2/UserProfile', 'nope');
    await api(emu, '/api/v2/UserProfile', undefined);
    expect(emu.stats()).toMatchObject({ exchanges: 1, apiCalls: 1, rejected: 2 });
  });
});
