import { describe, expect, it } from 'vitest';
import type { Emulator } from '../src/server.js';
import { api, emulator, token } from './support/helpers.js';

const json = { 'Content-Type': 'application/json' };

interface Page {
  data: { alertId: number }[];
  paging: { rows: number; totalRows: number; urls: { nextPage: string | null } };
}

async function firstSearchPage(emu: Emulator, tok: string): Promise<Page> {
  const res = await api(emu, '/api/v2/Alerts/search', tok, {
    method: 'POST',
    headers: json,
    body: '{}',
  });
  expect(res.status).toBe(200);
  return (await res.json()) as Page;
}

async function follow(url: string, tok: string): Promise<Page> {
  const res = await fetch(url, { headers: { Authorization: `Bearer ${tok}` } });
  expect(res.status).toBe(200);
  return (await res.json()) as Page;
}

describe('paging', () => {
  it('splits a search into pages linked by full nextPage URLs, fetched with GET, until null', async () => {
    const emu = await emulator({ pageSize: 2 });
    const tok = await token(emu);
    const pages = [await firstSearchPage(emu, tok)];
    for (let next = pages[0]?.paging.urls.nextPage; next; ) {
      expect(next).toMatch(new RegExp(`^${emu.url}/api/v2/NextPage/[0-9a-f]{32}$`));
      const page = await follow(next, tok);
      pages.push(page);
      next = page.paging.urls.nextPage;
    }
    expect(pages.map((p) => p.data.map((a) => a.alertId))).toEqual([
      [1000, 1001],
      [1002, 1003],
      [1004],
    ]);
    expect(pages.map((p) => p.paging.rows)).toEqual([2, 2, 1]);
    expect(pages.every((p) => p.paging.totalRows === 5)).toBe(true);
    expect(pages.at(-1)?.paging.urls.nextPage).toBeNull();
    expect(
      emu.requests().map((r) => `${r.method} ${r.path.replace(/[0-9a-f]{32}$/, '…')}`),
    ).toEqual([
      'POST /api/v2/access/tokens',
      'POST /api/v2/Alerts/search',
      'GET /api/v2/NextPage/…',
      'GET /api/v2/NextPage/…',
    ]);
  });

  it('pages GET Alerts the same way', async () => {
    const emu = await emulator({ pageSize: 3 });
    const tok = await token(emu);
    const first = (await (await api(emu, '/api/v2/Alerts', tok)).json()) as Page;
    expect(first.data).toHaveLength(3);
    expect(first.paging).toMatchObject({ rows: 3, totalRows: 5 });
    const second = await follow(first.paging.urls.nextPage ?? '', tok);
    expect(second.data.map((a) => a.alertId)).toEqual([1003, 1004]);
    expect(second.paging.urls.nextPage).toBeNull();
  });

  it('has no nextPage when everything fits on one page (5000 rows by default)', async () => {
    const emu = await emulator();
    const page = await firstSearchPage(emu, await token(emu));
    expect(page.paging).toEqual({ rows: 5, totalRows: 5, urls: { nextPage: null } });
  });

  it('builds nextPage from the address the client used', async () => {
    const emu = await emulator({ pageSize: 2 });
    const tok = await token(emu);
    const res = await fetch(`http://localhost:${emu.port}/api/v2/Alerts`, {
      headers: { Authorization: `Bearer ${tok}` },
    });
    const page = (await res.json()) as Page;
    expect(page.paging.urls.nextPage).toMatch(`http://localhost:${emu.port}/api/v2/NextPage/`);
  });

  it('lets a page be read again (a retry after a lost answer)', async () => {
    const emu = await emulator({ pageSize: 2 });
    const tok = await token(emu);
    const next = (await firstSearchPage(emu, tok)).paging.urls.nextPage ?? '';
    expect(await follow(next, tok)).toEqual(await follow(next, tok));
  });

  it('needs a token, and the same key and account, for the next page', async () => {
    const emu = await emulator({ pageSize: 2, keys: [{}, {}] });
    const tok = await token(emu);
    const next = (await firstSearchPage(emu, tok)).paging.urls.nextPage ?? '';
    expect((await fetch(next)).status).toBe(401);
    const other = emu.keys[1];
    const otherToken = (
      (await (
        await fetch(`${emu.url}/api/v2/access/tokens`, {
          method: 'POST',
          headers: { ...json, 'X-LW-UAKS': other?.secret ?? '' },
          body: JSON.stringify({ keyId: other?.keyId }),
        })
      ).json()) as { token: string }
    ).token;
    const foreign = await fetch(next, { headers: { Authorization: `Bearer ${otherToken}` } });
    expect(foreign.status).toBe(404);
    const subAccount = await fetch(next, {
      headers: { Authorization: `Bearer ${tok}`, 'Account-Name': 'emulator-sub' },
    });
    expect(subAccount.status).toBe(404);
    expect((await fetch(next, { headers: { Authorization: `Bearer ${tok}` } })).status).toBe(200);
  });

  it('answers 404 {"message"} to an unknown page and 405 to a POST', async () => {
    const emu = await emulator();
    const tok = await token(emu);
    const missing = await api(emu, '/api/v2/NextPage/0123', tok);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { message: string }).message).toMatch(/run the search again/);
    const post = await api(emu, '/api/v2/NextPage/0123', tok, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET');
  });
});
