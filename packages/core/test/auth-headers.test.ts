import { emulator } from '@lacework-auth/test-kit/vitest';
import { describe, expect, it } from 'vitest';
import { createLaceworkClient } from '../src/client/client.js';
import { providerFor } from './support/emulator.js';

describe('TokenProvider.authHeaders()', () => {
  it('gives the headers a fetch call needs: Bearer token, Account-Name, Org-Access', async () => {
    // Strict mode: the emulator refuses a token without `Bearer `.
    const emu = await emulator({ bareTokens: false });
    const sub = emu.keys[0]?.subAccounts[0] as string;
    const provider = providerFor(emu, { subAccount: sub, orgAccess: true });
    const headers = await provider.authHeaders();
    const { token } = await provider.getToken();
    expect(headers).toEqual({
      Authorization: `Bearer ${token}`,
      'Account-Name': sub,
      'Org-Access': 'true',
    });
    const res = await fetch(`${provider.baseUrl}/api/v2/CloudAccounts`, { headers });
    expect(res.status).toBe(200);
    const { data } = (await res.json()) as { data: { name: string }[] };
    expect(data.every((a) => a.name.startsWith(`${sub}-`))).toBe(true);
    expect(emu.stats().exchanges).toBe(1);
  });

  it('has only Authorization without a sub-account or org access, and follows forceRefresh', async () => {
    const emu = await emulator();
    const provider = providerFor(emu);
    const first = await provider.authHeaders();
    expect(Object.keys(first)).toEqual(['Authorization']);
    const second = await provider.authHeaders({ forceRefresh: true });
    expect(second.Authorization).not.toBe(first.Authorization);
    expect(emu.stats().exchanges).toBe(2);
  });
});

describe('bare tokens and the routes the SDKs call', () => {
  it('the emulator accepts a bare token, as the Go SDK sends it', async () => {
    const emu = await emulator();
    const { token } = await providerFor(emu).getToken();
    const res = await fetch(`${emu.url}/api/v2/UserProfile`, { headers: { Authorization: token } });
    expect(res.status).toBe(200);
  });

  it('the client sends Bearer, so it works against the strict emulator too', async () => {
    const emu = await emulator({ bareTokens: false });
    const client = createLaceworkClient({ tokenProvider: providerFor(emu) });
    expect((await client.get('UserProfile')).status).toBe(200);
  });

  it('reads CloudAccounts/{type}, CloudAccounts/{intgGuid} and Alerts?startTime=&endTime=', async () => {
    const emu = await emulator();
    const client = createLaceworkClient({ tokenProvider: providerFor(emu) });
    type Integration = { intgGuid: string; type: string; state: { lastUpdatedTime: number } };
    const { data: cfg } = await client.get('CloudAccounts/AwsCfg').json<{ data: Integration[] }>();
    expect(cfg.map((a) => a.type)).toEqual(['AwsCfg']);
    const guid = cfg[0]?.intgGuid as string;
    const { data: one } = await client.get(`CloudAccounts/${guid}`).json<{ data: Integration }>();
    expect(one.intgGuid).toBe(guid);
    expect(typeof one.state.lastUpdatedTime).toBe('number');
    const now = Date.now();
    const alerts = await client
      .get('Alerts', {
        searchParams: {
          startTime: new Date(now - 4 * 3600_000).toISOString(),
          endTime: new Date(now).toISOString(),
        },
      })
      .json<{ data: { alertId: number }[] }>();
    expect(alerts.data.map((a) => a.alertId)).toEqual([1000]);
  });
});
