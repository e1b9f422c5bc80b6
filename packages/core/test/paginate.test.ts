import { emulator, expectNoSecrets } from '@lacework-auth/test-kit/vitest';
import { describe, expect, it } from 'vitest';
import { createLaceworkClient } from '../src/client/client.js';
import { isLaceworkAuthError } from '../src/protocol/errors.js';
import { providerFor, rejectionOf, routeRequests } from './support/emulator.js';

interface Alert {
  alertId: number;
  severity: string;
}

/** Every item (Array.fromAsync needs Node 22). */
async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}

const noMatch = { filters: [{ field: 'severity', expression: 'eq', value: 'None' }] };

/** Path of each API request the emulator saw, cursor ids shortened. */
function apiPaths(emu: Awaited<ReturnType<typeof emulator>>): string[] {
  return routeRequests(emu, 'api').map(
    (r) => `${r.method} ${r.path.replace(/[0-9a-f]{32}$/, '…')} ${r.status}`,
  );
}

describe('client.paginate()', () => {
  it('yields every item of a POST search over several pages, following nextPage with GET and Bearer', async () => {
    // Strict mode: a next page fetched without `Bearer ` would get 401.
    const emu = await emulator({ pageSize: 2, bareTokens: false });
    const client = createLaceworkClient({ tokenProvider: providerFor(emu) });
    const ids: number[] = [];
    for await (const alert of client.paginate<Alert>('Alerts/search', { json: {} })) {
      ids.push(alert.alertId);
    }
    expect(ids).toEqual([1000, 1001, 1002, 1003, 1004]);
    expect(apiPaths(emu)).toEqual([
      'POST /api/v2/Alerts/search 200',
      'GET /api/v2/NextPage/… 200',
      'GET /api/v2/NextPage/… 200',
    ]);
    const api = routeRequests(emu, 'api');
    expect(api.every((r) => r.headers.authorization === 'Bearer [REDACTED]')).toBe(true);
    expect(api.slice(1).every((r) => r.body === undefined)).toBe(true);
    expect(emu.stats().exchanges).toBe(1);
  });

  it('pages a GET list with query parameters (Alerts?startTime=&endTime=)', async () => {
    const emu = await emulator({ pageSize: 3 });
    const client = createLaceworkClient({ tokenProvider: providerFor(emu) });
    const now = Date.now();
    const alerts = await collect(
      client.paginate<Alert>('Alerts', {
        searchParams: {
          startTime: new Date(now - 24 * 3600_000).toISOString(),
          endTime: new Date(now).toISOString(),
        },
      }),
    );
    expect(alerts.map((a) => a.alertId)).toEqual([1000, 1001, 1002, 1003, 1004]);
    expect(apiPaths(emu)).toEqual(['GET /api/v2/Alerts 200', 'GET /api/v2/NextPage/… 200']);
  });

  it('sends Account-Name and Org-Access on every page (the cursor belongs to the sub-account)', async () => {
    const emu = await emulator({ pageSize: 2 });
    const sub = emu.keys[0]?.subAccounts[0] as string;
    const client = createLaceworkClient({
      tokenProvider: providerFor(emu, { subAccount: sub, orgAccess: true }),
    });
    const alerts = await collect(client.paginate('Alerts/search', { json: {} }));
    expect(alerts).toHaveLength(5);
    const api = routeRequests(emu, 'api');
    expect(api).toHaveLength(3);
    expect(api.every((r) => r.headers['account-name'] === sub)).toBe(true);
    expect(api.every((r) => r.headers['org-access'] === 'true')).toBe(true);
  });

  it('survives extend(): the extended client pages with its own options', async () => {
    const emu = await emulator({ pageSize: 2 });
    const client = createLaceworkClient({ tokenProvider: providerFor(emu) }).extend({
      headers: { 'x-purpose': 'paging-test' },
    });
    const alerts = await collect(client.paginate('Alerts/search', { json: {} }));
    expect(alerts).toHaveLength(5);
    const api = routeRequests(emu, 'api');
    expect(api).toHaveLength(3);
    expect(api.every((r) => r.headers['x-purpose'] === 'paging-test')).toBe(true);
  });

  it('turns errors on a next page into LaceworkAuthErrors, with the given headers sent', async () => {
    const emu = await emulator({ pageSize: 2 });
    emu.inject({ route: '/api/v2/NextPage/', status: 404, body: { message: 'gone' } });
    const client = createLaceworkClient({ tokenProvider: providerFor(emu) });
    const error = await rejectionOf(
      collect(
        client.paginate('Alerts/search', {
          json: {},
          headers: { 'x-purpose': 'paging-test', 'content-type': 'application/json' },
        }),
      ),
    );
    expect(isLaceworkAuthError(error, 'ERR_LW_HTTP')).toBe(true);
    expect(error.message).toMatch(/GET \/api\/v2\/NextPage\/\w+ with HTTP 404: "gone"/);
    const next = routeRequests(emu, 'api')[1];
    expect(next?.headers['x-purpose']).toBe('paging-test');
    expect(next?.headers['content-type']).toBeUndefined();
  });

  it('fetches the next page only when the loop asks for more', async () => {
    const emu = await emulator({ pageSize: 2 });
    const client = createLaceworkClient({ tokenProvider: providerFor(emu) });
    const seen: number[] = [];
    for await (const alert of client.paginate<Alert>('Alerts/search', { json: {} })) {
      seen.push(alert.alertId);
      if (seen.length === 2) break;
    }
    expect(seen).toEqual([1000, 1001]);
    expect(apiPaths(emu)).toEqual(['POST /api/v2/Alerts/search 200']);
  });

  it.each([true, false])(
    'yields nothing for an empty search (204), emptyData: %s',
    async (emptyData) => {
      const emu = await emulator();
      const client = createLaceworkClient({ tokenProvider: providerFor(emu), emptyData });
      const items = await collect(client.paginate('Alerts/search', { json: noMatch }));
      expect(items).toEqual([]);
      expect(apiPaths(emu)).toEqual(['POST /api/v2/Alerts/search 204']);
    },
  );

  it('refreshes a token refused between pages and carries on', async () => {
    const emu = await emulator({ pageSize: 2 });
    const client = createLaceworkClient({ tokenProvider: providerFor(emu) });
    const ids: number[] = [];
    for await (const alert of client.paginate<Alert>('Alerts/search', { json: {} })) {
      ids.push(alert.alertId);
      if (ids.length === 2) emu.revokeTokens();
    }
    expect(ids).toEqual([1000, 1001, 1002, 1003, 1004]);
    expect(apiPaths(emu)).toEqual([
      'POST /api/v2/Alerts/search 200',
      'GET /api/v2/NextPage/… 403',
      'GET /api/v2/NextPage/… 200',
      'GET /api/v2/NextPage/… 200',
    ]);
    expect(emu.stats().exchanges).toBe(2);
  });

  it('resolves a relative nextPage under /api/v2/ (as the go-sdk does)', async () => {
    const emu = await emulator();
    emu.inject({
      route: '/api/v2/CloudAccounts',
      body: { data: [{ intgGuid: 'FIRST' }], paging: { urls: { nextPage: 'Alerts?x=1' } } },
    });
    const client = createLaceworkClient({ tokenProvider: providerFor(emu) });
    const items = await collect(client.paginate<{ intgGuid?: string }>('CloudAccounts'));
    expect(items).toHaveLength(6);
    expect(items[0]).toEqual({ intgGuid: 'FIRST' });
    expect(apiPaths(emu)).toEqual(['GET /api/v2/CloudAccounts 200', 'GET /api/v2/Alerts 200']);
  });

  it('refuses a nextPage on another origin with ERR_LW_FOREIGN_NEXT_PAGE and sends nothing there', async () => {
    const emu = await emulator();
    const elsewhere = await emulator();
    emu.inject({
      route: '/api/v2/Alerts/search',
      body: {
        data: [{ alertId: 1 }],
        paging: {
          rows: 1,
          totalRows: 2,
          urls: { nextPage: `${elsewhere.url}/api/v2/NextPage/abc` },
        },
      },
    });
    const provider = providerFor(emu);
    const client = createLaceworkClient({ tokenProvider: provider });
    const seen: unknown[] = [];
    const error = await rejectionOf(
      (async () => {
        for await (const alert of client.paginate('Alerts/search', { json: {} })) seen.push(alert);
      })(),
    );
    expect(seen).toEqual([{ alertId: 1 }]);
    expect(isLaceworkAuthError(error, 'ERR_LW_FOREIGN_NEXT_PAGE')).toBe(true);
    expect(error.name).toBe('ForeignNextPageError');
    expect(error.message).toContain(`puts its next page on ${elsewhere.url}, not on ${emu.url}`);
    expect(elsewhere.stats().requests).toBe(0);
    expectNoSecrets(error, [(await provider.getToken()).token, emu.keys[0]?.secret ?? '']);
  });

  it('stops with ERR_LW_BAD_RESPONSE on a nextPage loop', async () => {
    const emu = await emulator();
    emu.inject({
      route: '/api/v2/CloudAccounts',
      body: { data: [1], paging: { urls: { nextPage: `${emu.url}/api/v2/CloudAccounts` } } },
      times: Number.POSITIVE_INFINITY,
    });
    const client = createLaceworkClient({ tokenProvider: providerFor(emu) });
    const error = await rejectionOf(collect(client.paginate('CloudAccounts')));
    expect(isLaceworkAuthError(error, 'ERR_LW_BAD_RESPONSE')).toBe(true);
    expect(error.message).toMatch(/links back to a page already read/);
    expect(emu.stats().requests).toBe(2); // the exchange and one page
  });

  it('stops with ERR_LW_BAD_RESPONSE on an answer that is not a page', async () => {
    const emu = await emulator();
    const client = createLaceworkClient({ tokenProvider: providerFor(emu) });
    const [first] = await collect(client.paginate<{ intgGuid: string }>('CloudAccounts'));
    const error = await rejectionOf(collect(client.paginate(`CloudAccounts/${first?.intgGuid}`)));
    expect(isLaceworkAuthError(error, 'ERR_LW_BAD_RESPONSE')).toBe(true);
    expect(error.message).toMatch(/GET \/api\/v2\/CloudAccounts\/EMULATOR_\w+ is not a page/);
  });

  it('passes API errors through (a 400 for a window over 7 days)', async () => {
    const emu = await emulator();
    const client = createLaceworkClient({ tokenProvider: providerFor(emu) });
    const now = Date.now();
    const timeFilter = {
      startTime: new Date(now - 8 * 24 * 3600_000).toISOString(),
      endTime: new Date(now).toISOString(),
    };
    const error = await rejectionOf(
      collect(client.paginate('Alerts/search', { json: { timeFilter } })),
    );
    expect(isLaceworkAuthError(error, 'ERR_LW_HTTP')).toBe(true);
    expect(error.status).toBe(400);
    expect(error.message).toMatch(/longer than 7 days/);
  });
});
