import { describe, expect, it } from 'vitest';
import { api, emulator, exchange, token } from './support/helpers.js';

const keys = [{ account: 'acme', subAccounts: ['acme-dev', 'Acme-Prod'] }];

describe('sub-accounts and Account-Name', () => {
  it('issues tokens for the key account and its sub-accounts, case-insensitively', async () => {
    const emu = await emulator({ keys });
    for (const name of ['acme', 'ACME', 'acme-dev', 'acme-prod', 'ACME-PROD']) {
      const res = await exchange(emu, { headers: { 'Account-Name': name } });
      expect(res.status, name).toBe(201);
    }
    expect(emu.requests().map((r) => r.account)).toEqual([
      'acme',
      'acme',
      'acme-dev',
      'Acme-Prod',
      'Acme-Prod',
    ]);
  });

  it('refuses an unknown sub-account on the token POST with 403', async () => {
    const emu = await emulator({ keys });
    const res = await exchange(emu, { headers: { 'account-name': 'other' } });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { message: string }).message).toMatch(/Account-Name/);
    expect(emu.stats().exchanges).toBe(0);
  });

  it('checks Account-Name on API calls too', async () => {
    const emu = await emulator({ keys });
    const tok = await token(emu);
    expect(
      (await api(emu, '/api/v2/CloudAccounts', tok, { headers: { 'Account-Name': 'acme-dev' } }))
        .status,
    ).toBe(200);
    const res = await api(emu, '/api/v2/CloudAccounts', tok, {
      headers: { 'Account-Name': 'globex' },
    });
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ message: 'User not authorized.' });
  });

  it('labels CloudAccounts with the sub-account asked for', async () => {
    const emu = await emulator({ keys });
    const tok = await token(emu);
    const res = await api(emu, '/api/v2/CloudAccounts', tok, {
      headers: { 'Account-Name': 'acme-dev' },
    });
    const { data } = (await res.json()) as { data: { name: string }[] };
    expect(data.every((d) => d.name.startsWith('acme-dev-'))).toBe(true);
  });

  it('allows Org-Access: true only for keys with org access', async () => {
    const emu = await emulator({ keys: [{ orgAccess: false }, { orgAccess: true }] });
    const refused = await exchange(emu, { headers: { 'Org-Access': 'true' } });
    expect(refused.status).toBe(403);
    expect((await exchange(emu, { headers: { 'Org-Access': 'false' } })).status).toBe(201);
    const second = emu.keys[1];
    const ok = await exchange(emu, {
      keyId: second?.keyId,
      secret: second?.secret,
      headers: { 'Org-Access': 'TRUE' },
    });
    expect(ok.status).toBe(201);
  });

  it('checks Org-Access on API calls', async () => {
    const emu = await emulator({ keys: [{ orgAccess: false }] });
    const tok = await token(emu);
    expect((await api(emu, '/api/v2/UserProfile', tok)).status).toBe(200);
    expect(
      (await api(emu, '/api/v2/UserProfile', tok, { headers: { 'Org-Access': 'true' } })).status,
    ).toBe(403);
  });
});
