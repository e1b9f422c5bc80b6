import { describe, expect, it } from 'vitest';
import { api, emulator, token } from './support/helpers.js';

const json = { 'Content-Type': 'application/json' };

describe('v2 API routes', () => {
  it('GET UserProfile has the go-sdk UserProfile shape', async () => {
    const emu = await emulator({ keys: [{ account: 'acme', subAccounts: ['acme-dev'] }] });
    const res = await api(emu, '/api/v2/UserProfile', await token(emu));
    expect(res.status).toBe(200);
    const body = (await res.json()) as { data: Record<string, unknown>[] };
    expect(body.data).toHaveLength(1);
    expect(body.data[0]).toMatchObject({
      username: expect.any(String),
      orgAccount: true,
      url: 'acme.lacework.net',
      orgAdmin: true,
      orgUser: true,
    });
    const accounts = body.data[0]?.accounts as Record<string, unknown>[];
    expect(accounts.map((a) => a.accountName)).toEqual(['ACME', 'ACME-DEV']);
    expect(Object.keys(accounts[0] ?? {}).sort()).toEqual([
      'accountName',
      'admin',
      'custGuid',
      'userEnabled',
      'userGuid',
    ]);
  });

  it('GET CloudAccounts lists integrations under data', async () => {
    const emu = await emulator();
    const res = await api(emu, '/api/v2/CloudAccounts', await token(emu));
    const { data } = (await res.json()) as { data: { intgGuid: string; type: string }[] };
    expect(data.length).toBeGreaterThan(0);
    expect(data[0]).toMatchObject({ intgGuid: expect.any(String), type: 'AwsCfg', enabled: 1 });
  });

  it('POST Alerts/search filters by time window and filters and returns {data, paging}', async () => {
    const emu = await emulator();
    const tok = await token(emu);
    const now = Date.now();
    const all = await api(emu, '/api/v2/Alerts/search', tok, {
      method: 'POST',
      headers: json,
      body: '{}',
    });
    const allBody = (await all.json()) as { data: { severity: string }[]; paging: unknown };
    expect(allBody.data.length).toBe(5);
    expect(allBody.paging).toEqual({ rows: 5, totalRows: 5, urls: { nextPage: null } });

    const body = {
      timeFilter: {
        startTime: new Date(now - 7 * 3600_000).toISOString(),
        endTime: new Date(now).toISOString(),
      },
      filters: [{ field: 'severity', expression: 'in', values: ['High', 'Medium', 'Critical'] }],
      returns: ['alertId', 'severity'],
    };
    const res = await api(emu, '/api/v2/Alerts/search', tok, {
      method: 'POST',
      headers: json,
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(200);
    const found = (await res.json()) as {
      data: Record<string, unknown>[];
      paging: { rows: number };
    };
    expect(found.data).toEqual([
      { alertId: 1000, severity: 'High' },
      { alertId: 1001, severity: 'Medium' },
    ]);
    expect(found.paging.rows).toBe(2);
  });

  it.each([
    ['bad JSON', '{', /not valid JSON/],
    [
      'a bad timeFilter',
      JSON.stringify({ timeFilter: { startTime: 'x', endTime: 'y' } }),
      /ISO 8601/,
    ],
    [
      'reversed times',
      JSON.stringify({
        timeFilter: { startTime: '2024-02-01T00:00:00Z', endTime: '2024-01-01T00:00:00Z' },
      }),
      /after/,
    ],
    [
      'a filter without its value',
      JSON.stringify({ filters: [{ field: 'severity', expression: 'like' }] }),
      /filters\[0\]: 'like' needs a value/,
    ],
    [
      'an unknown expression',
      JSON.stringify({ filters: [{ field: 'severity', expression: 'equals', value: 'High' }] }),
      /filters\[0\]\.expression must be one of eq, ne, in, not_in, like, ilike/,
    ],
  ])('POST Alerts/search refuses %s with 400', async (_name, body, message) => {
    const emu = await emulator();
    const res = await api(emu, '/api/v2/Alerts/search', await token(emu), {
      method: 'POST',
      headers: json,
      body,
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).toMatch(message);
  });

  it('answers 404 JSON for unknown routes and 405 with Allow for wrong methods', async () => {
    const emu = await emulator();
    const tok = await token(emu);
    const missing = await api(emu, '/api/v2/Nope', tok);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toMatch(/application\/json/);
    expect(((await missing.json()) as { message: string }).message).toMatch(
      /No route for GET \/api\/v2\/Nope/,
    );
    const wrong = await api(emu, '/api/v2/UserProfile', tok, { method: 'DELETE' });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('GET');
    const get = await api(emu, '/api/v2/Alerts/search', tok);
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
  });

  it('treats a path starting with // as a path, not a host', async () => {
    const emu = await emulator();
    const res = await fetch(`${emu.url}//evil.example/api/v2/UserProfile`);
    expect(res.status).toBe(404);
    expect(emu.requests()[0]?.path).toBe('//evil.example/api/v2/UserProfile');
  });
});
