import { emulator } from '@lacework-auth/test-kit/vitest';
import { describe, expect, it } from 'vitest';
import { createLaceworkClient } from '../src/client/client.js';
import { isLaceworkAuthError } from '../src/protocol/errors.js';
import { providerFor, rejectionOf, routeRequests } from './support/emulator.js';

interface Echo {
  method: string;
  path: string;
  headers: Record<string, string>;
  tokenValid: boolean;
  body: unknown;
}

describe('client authentication', () => {
  it('sends Authorization: Bearer, Account-Name and Org-Access on /api/v2/', async () => {
    const emu = await emulator();
    const sub = emu.keys[0]?.subAccounts[0] as string;
    const client = createLaceworkClient({
      tokenProvider: providerFor(emu, { subAccount: sub, orgAccess: true }),
    });
    const echo = await client.post('Echo/things?x=1', { json: { a: 1 } }).json<Echo>();
    expect(echo.path).toBe('/api/v2/Echo/things');
    expect(echo.method).toBe('POST');
    expect(echo.tokenValid).toBe(true);
    expect(echo.headers.authorization).toMatch(/^Bearer /);
    expect(echo.headers['account-name']).toBe(sub);
    expect(echo.headers['org-access']).toBe('true');
    expect(echo.body).toEqual({ a: 1 });
  });

  it('creates its own provider from options', async () => {
    const emu = await emulator();
    const key = emu.keys[0];
    if (!key) throw new Error('no key');
    const client = createLaceworkClient({
      baseUrl: emu.url,
      keyId: key.keyId,
      secret: key.secret,
      env: {},
    });
    const profile = await client.get('UserProfile').json<{ data: unknown[] }>();
    expect(profile.data.length).toBeGreaterThan(0);
    await client.get('CloudAccounts').json();
    expect(emu.stats()).toMatchObject({ exchanges: 1, apiCalls: 2 });
  });

  it('on 401 refreshes the token once and retries once', async () => {
    const emu = await emulator();
    const provider = providerFor(emu);
    const client = createLaceworkClient({ tokenProvider: provider });
    const { token: before } = await provider.getToken();
    emu.inject({ route: 'api', status: 401, times: 1 });
    await client.get('UserProfile').json();
    expect(emu.stats().exchanges).toBe(2);
    expect(routeRequests(emu, 'api')).toHaveLength(2);
    expect((await provider.getToken()).token).not.toBe(before);
  });

  it('a revoked token (403 "User not authorized.") is replaced transparently', async () => {
    const emu = await emulator();
    const client = createLaceworkClient({ tokenProvider: providerFor(emu) });
    await client.get('UserProfile').json();
    emu.revokeTokens();
    await client.get('UserProfile').json();
    expect(emu.stats().exchanges).toBe(2);
  });

  it.each([401, 403])(
    'a persistent %i fails with ERR_LW_UNAUTHORIZED after exactly 2 attempts',
    async (status) => {
      const emu = await emulator();
      const client = createLaceworkClient({ tokenProvider: providerFor(emu) });
      emu.inject({
        route: 'api',
        status,
        body: { message: 'User not authorized.' },
        times: Number.POSITIVE_INFINITY,
      });
      const error = await rejectionOf(client.get('UserProfile'));
      expect(isLaceworkAuthError(error, 'ERR_LW_UNAUTHORIZED')).toBe(true);
      expect(error).toMatchObject({ status, method: 'GET' });
      expect(error.url).toBe(`${emu.url}/api/v2/UserProfile`);
      expect(error.message).toContain('User not authorized.');
      expect(routeRequests(emu, 'api')).toHaveLength(2);
      expect(emu.stats().exchanges).toBe(2);
    },
  );

  it('many requests failing with the same token share one refresh', async () => {
    const emu = await emulator();
    const client = createLaceworkClient({ tokenProvider: providerFor(emu) });
    await client.get('UserProfile').json();
    emu.revokeTokens();
    await Promise.all(Array.from({ length: 30 }, () => client.get('UserProfile').json()));
    expect(emu.stats().exchanges).toBe(2);
  });

  it('never sends the token to another host', async () => {
    const emu = await emulator();
    const other = await emulator();
    const client = createLaceworkClient({ tokenProvider: providerFor(emu) });
    const error = await rejectionOf(client.get(new URL(`${other.url}/api/v2/Echo/x`)));
    expect(isLaceworkAuthError(error, 'ERR_LW_INVALID_OPTION')).toBe(true);
    expect(error.message).toContain(emu.url);
    expect(other.stats().requests).toBe(0);
    expect(emu.stats().requests).toBe(0);
  });

  it('keeps a caller-supplied Account-Name header', async () => {
    const emu = await emulator();
    const sub = emu.keys[0]?.subAccounts[0] as string;
    const client = createLaceworkClient({ tokenProvider: providerFor(emu, { subAccount: sub }) });
    const echo = await client.get('Echo/x', { headers: { 'Account-Name': 'other' } }).json<Echo>();
    expect(echo.headers['account-name']).toBe('other');
  });

  it('sends Accept: application/json and its User-Agent unless the request has its own', async () => {
    const emu = await emulator();
    const client = createLaceworkClient({ tokenProvider: providerFor(emu) });
    const plain = await (await client.get('Echo/x')).json<Echo>();
    expect(plain.headers.accept).toBe('application/json');
    expect(plain.headers['user-agent']).toMatch(/^lacework-auth\/\d+\.\d+\.\d+/);
    const own = await client
      .get('Echo/x', { headers: { accept: 'application/vnd.x+json', 'User-Agent': 'mine/1' } })
      .json<Echo>();
    expect(own.headers.accept).toBe('application/vnd.x+json');
    expect(own.headers['user-agent']).toBe('mine/1');
    // ky's `.text()` and `.arrayBuffer()` would ask for `text/*` and `*/*`: Lacework serves JSON.
    const text = JSON.parse(await client.get('Echo/x').text()) as Echo;
    expect(text.headers.accept).toBe('application/json');
    const bytes = JSON.parse(new TextDecoder().decode(await client.get('Echo/x').arrayBuffer()));
    expect((bytes as Echo).headers.accept).toBe('application/json');
    // Every attempt of one request sends them (a 401 and the retry with a fresh token).
    emu.inject({ route: 'api', status: 401 });
    const retried = await client.get('Echo/x').json<Echo>();
    expect(retried.headers.accept).toBe('application/json');
    expect(retried.headers['user-agent']).toMatch(/^lacework-auth\//);
  });
});
