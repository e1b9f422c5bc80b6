import { emulator } from '@lacework-auth/test-kit/vitest';
import { describe, expect, it } from 'vitest';
import { exchangeKey } from '../src/provider/exchange.js';
import { providerFor, routeRequests } from './support/emulator.js';

describe('the token exchange request', () => {
  it('POSTs /api/v2/access/tokens with X-LW-UAKS and {keyId, expiryTime}', async () => {
    const emu = await emulator();
    const key = emu.keys[0];
    if (!key) throw new Error('no key');
    const result = await exchangeKey({
      baseUrl: emu.url,
      keyId: key.keyId,
      secret: key.secret,
      expiryTime: 600,
    });
    expect(emu.isIssuedToken(result.token)).toBe(true);
    const [request] = routeRequests(emu, 'token');
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe('/api/v2/access/tokens');
    expect(request?.status).toBe(201);
    expect(request?.headers['x-lw-uaks']).toBeDefined();
    expect(request?.headers['content-type']).toMatch(/^application\/json/);
    expect(request?.headers['user-agent']).toMatch(/^lacework-auth\//);
    expect(request?.headers['account-name']).toBeUndefined();
    expect(request?.headers['org-access']).toBeUndefined();
    expect(request?.body).toEqual({ keyId: key.keyId, expiryTime: 600 });
  });

  it('sends 3600 s by default', async () => {
    const emu = await emulator();
    const { expiresAt } = await providerFor(emu).getToken();
    expect(routeRequests(emu, 'token')[0]?.body).toMatchObject({ expiryTime: 3600 });
    expect(expiresAt.getTime() - Date.now()).toBeGreaterThan(3590_000);
  });

  it('sends Account-Name for a sub-account and Org-Access: true when asked', async () => {
    const emu = await emulator();
    const sub = emu.keys[0]?.subAccounts[0] as string;
    await providerFor(emu, { subAccount: sub, orgAccess: true }).getToken();
    const [request] = routeRequests(emu, 'token');
    expect(request?.headers['account-name']).toBe(sub);
    expect(request?.headers['org-access']).toBe('true');
  });

  it('accepts any 2xx status', async () => {
    const emu = await emulator();
    const expiresAt = new Date(Date.now() + 3600_000).toISOString();
    for (const status of [200, 201, 202]) {
      emu.inject({ route: 'token', status, body: { token: `tok-${status}`, expiresAt } });
      const result = await providerFor(emu).getToken();
      expect(result.token).toBe(`tok-${status}`);
    }
  });

  it('takes the earlier of the server expiresAt and request time + expiryTime', async () => {
    const emu = await emulator();
    // Server clock far ahead: the local bound wins.
    emu.inject({
      route: 'token',
      status: 201,
      body: { token: 'tok-ahead', expiresAt: new Date(Date.now() + 86_400_000).toISOString() },
    });
    const before = Date.now();
    const ahead = await providerFor(emu, { expiryTime: 60 }).getToken();
    expect(ahead.expiresAt.getTime()).toBeGreaterThanOrEqual(before + 60_000);
    expect(ahead.expiresAt.getTime()).toBeLessThanOrEqual(Date.now() + 60_000);

    // Server says sooner than requested: the server wins.
    const soon = Date.now() + 30_000;
    emu.inject({
      route: 'token',
      status: 201,
      body: { token: 'tok-soon', expiresAt: new Date(soon).toISOString() },
    });
    const early = await providerFor(emu, { expiryTime: 600 }).getToken();
    expect(early.expiresAt.getTime()).toBe(soon);
  });
});
