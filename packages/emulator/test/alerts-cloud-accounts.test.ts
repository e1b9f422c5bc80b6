import { describe, expect, it } from 'vitest';
import { api, emulator, token } from './support/helpers.js';

const HOUR = 3600_000;
const DAY = 24 * HOUR;

interface CloudAccount {
  intgGuid: string;
  type: string;
  name: string;
  state: { ok: boolean; lastUpdatedTime: unknown; lastSuccessfulTime: unknown };
}

describe('GET Alerts?startTime=&endTime=', () => {
  it('lists the alerts in the window, with paging (the go-sdk AlertsResponse)', async () => {
    const emu = await emulator();
    const now = Date.now();
    const query = new URLSearchParams({
      startTime: new Date(now - 7.5 * HOUR).toISOString(),
      endTime: new Date(now).toISOString(),
    });
    const res = await api(emu, `/api/v2/Alerts?${query}`, await token(emu));
    expect(res.status).toBe(200);
    const body = (await res.json()) as { data: Record<string, unknown>[]; paging: unknown };
    expect(body.data.map((a) => a.alertId)).toEqual([1000, 1001]);
    expect(body.paging).toEqual({ rows: 2, totalRows: 2, urls: { nextPage: null } });
    expect(Object.keys(body.data[0] ?? {}).sort()).toEqual(
      [
        'alertId',
        'alertInfo',
        'alertName',
        'alertSource',
        'alertType',
        'derivedFields',
        'endTime',
        'lastUserUpdateTime',
        'policyId',
        'reachability',
        'severity',
        'startTime',
        'status',
      ].sort(),
    );
  });

  it('defaults to the last 24 hours and answers an empty window with 200 and an empty list', async () => {
    const emu = await emulator();
    const tok = await token(emu);
    const all = (await (await api(emu, '/api/v2/Alerts', tok)).json()) as { data: unknown[] };
    expect(all.data).toHaveLength(5);
    const end = Date.now() - 3 * DAY;
    const query = new URLSearchParams({
      startTime: new Date(end - DAY).toISOString(),
      endTime: new Date(end).toISOString(),
    });
    const empty = await api(emu, `/api/v2/Alerts?${query}`, tok);
    expect(empty.status).toBe(200);
    expect(await empty.json()).toEqual({
      data: [],
      paging: { rows: 0, totalRows: 0, urls: { nextPage: null } },
    });
  });

  it.each([
    ['a window over 7 days', -8 * DAY, 0, /longer than 7 days/],
    ['a start over 92 days back', -93 * DAY, -92.5 * DAY, /more than 92 days ago/],
    ['reversed times', 0, -HOUR, /startTime must not be after endTime/],
  ])('answers 400 to %s', async (_name, startOffset, endOffset, message) => {
    const emu = await emulator();
    const now = Date.now();
    const query = new URLSearchParams({
      startTime: new Date(now + startOffset).toISOString(),
      endTime: new Date(now + endOffset).toISOString(),
    });
    const res = await api(emu, `/api/v2/Alerts?${query}`, await token(emu));
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).toMatch(message);
  });

  it('answers 400 to a time that is not a date', async () => {
    const emu = await emulator();
    const res = await api(emu, '/api/v2/Alerts?startTime=yesterday', await token(emu));
    expect(res.status).toBe(400);
  });
});

describe('CloudAccounts', () => {
  it('state times are epoch milliseconds, as go-sdk lwtime.Epoch decodes them', async () => {
    const emu = await emulator();
    const res = await api(emu, '/api/v2/CloudAccounts', await token(emu));
    const { data } = (await res.json()) as { data: CloudAccount[] };
    for (const account of data) {
      expect(account.state.lastUpdatedTime).toEqual(expect.any(Number));
      expect(account.state.lastSuccessfulTime).toEqual(expect.any(Number));
      expect(account.intgGuid).toMatch(/^EMULATOR_[0-9A-F]{47}$/);
    }
  });

  it('GET CloudAccounts/{type} lists the integrations of that type', async () => {
    const emu = await emulator();
    const tok = await token(emu);
    const res = await api(emu, '/api/v2/CloudAccounts/AwsCfg', tok);
    expect(res.status).toBe(200);
    const { data } = (await res.json()) as { data: CloudAccount[] };
    expect(data.map((a) => a.type)).toEqual(['AwsCfg']);
    const none = await api(emu, '/api/v2/CloudAccounts/AzureCfg', tok);
    expect(await none.json()).toEqual({ data: [] });
  });

  it('GET CloudAccounts/{intgGuid} answers the one integration as data (an object)', async () => {
    const emu = await emulator({ keys: [{ account: 'acme', subAccounts: ['acme-dev'] }] });
    const tok = await token(emu);
    const list = (await (await api(emu, '/api/v2/CloudAccounts', tok)).json()) as {
      data: CloudAccount[];
    };
    const wanted = list.data[1] as CloudAccount;
    const res = await api(emu, `/api/v2/CloudAccounts/${wanted.intgGuid}`, tok);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ data: wanted });
    // A sub-account has integrations of its own.
    const sub = await api(emu, `/api/v2/CloudAccounts/${wanted.intgGuid}`, tok, {
      headers: { 'Account-Name': 'acme-dev' },
    });
    expect(sub.status).toBe(404);
  });

  it('answers 404 {"message": "Not Found"} to an unknown GUID or type', async () => {
    const emu = await emulator();
    const res = await api(emu, '/api/v2/CloudAccounts/UNKNOWN_INTG_GUID', await token(emu));
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ message: 'Not Found' });
    expect(emu.stats().rejected).toBe(1);
  });
});
