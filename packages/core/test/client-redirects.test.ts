import {
  CANARY_KEY_ID,
  CANARY_SECRET,
  canaryEmulator,
  expectNoSecrets,
  scriptedServer,
} from '@lacework-auth/test-kit/vitest';
import { describe, expect, it } from 'vitest';
import { createLaceworkClient } from '../src/client/client.js';
import { MAX_REDIRECTS } from '../src/client/same-origin-redirects.js';
import { isLaceworkAuthError } from '../src/protocol/errors.js';
import { providerFor, rejectionOf, routeRequests } from './support/emulator.js';

/** Another origin on loopback (another port): records every connection and request it gets. */
async function otherOrigin() {
  const server = await scriptedServer(() => ({ status: 200, body: { data: 'forged' } }));
  return {
    url: server.url,
    received: () => ({ connections: server.connections(), requests: server.requests.length }),
  };
}

async function setup() {
  const emu = await canaryEmulator();
  const provider = providerFor(emu, {
    keyId: CANARY_KEY_ID,
    secret: CANARY_SECRET,
    subAccount: 'canary-sub',
    orgAccess: true,
  });
  const client = createLaceworkClient({ tokenProvider: provider });
  const { token } = await provider.getToken();
  return { emu, client, token };
}

describe('createLaceworkClient and redirects', () => {
  it.each([301, 302, 303, 307, 308])(
    'a %i to another origin is a typed error, and that origin receives nothing',
    async (status) => {
      const { emu, client, token } = await setup();
      const foreign = await otherOrigin();
      emu.inject({
        route: '/api/v2/Alerts/search',
        status,
        body: '',
        headers: { Location: `${foreign.url}/collect?from=lacework` },
      });
      const error = await rejectionOf(
        client.post('Alerts/search', { json: { filters: [{ value: 'private' }] } }),
      );
      expect(isLaceworkAuthError(error, 'ERR_LW_CROSS_ORIGIN_REDIRECT')).toBe(true);
      expect(error.name).toBe('CrossOriginRedirectError');
      expect(error.status).toBe(status);
      expect(error.message).toContain(`redirect (HTTP ${status}) to ${foreign.url}`);
      expect(error.message).toContain('not followed');
      expect(foreign.received()).toEqual({ connections: 0, requests: 0 });
      expectNoSecrets(error, [token, CANARY_SECRET]);
    },
  );

  it('the same host under another name or scheme is another origin', async () => {
    const { emu, client } = await setup();
    const port = new URL(emu.url).port;
    for (const location of [
      `http://localhost:${port}/api/v2/UserProfile`,
      `https://127.0.0.1:${port}/api/v2/UserProfile`,
      `//localhost:${port}/api/v2/UserProfile`,
    ]) {
      emu.inject({ route: '/api/v2/Old', status: 302, body: '', headers: { Location: location } });
      emu.resetStats();
      const error = await rejectionOf(client.get('Old'));
      expect(error.code, location).toBe('ERR_LW_CROSS_ORIGIN_REDIRECT');
      // Only the redirecting request reached the emulator.
      expect(routeRequests(emu, 'api'), location).toHaveLength(1);
    }
  });

  it('a same-origin URL with user info is not followed', async () => {
    const { emu, client, token } = await setup();
    const target = new URL('/api/v2/UserProfile', emu.url);
    target.username = 'user';
    target.password = token;
    emu.inject({ route: '/api/v2/Old', status: 302, body: '', headers: { Location: target.href } });
    const error = await rejectionOf(client.get('Old'));
    expect(error.code).toBe('ERR_LW_CROSS_ORIGIN_REDIRECT');
    expect(error.message).toContain('a URL with user info');
    expectNoSecrets(error, [token]);
  });

  it('a chain that leaves the origin on its second hop sends nothing there', async () => {
    const { emu, client } = await setup();
    const foreign = await otherOrigin();
    emu.inject({
      route: '/api/v2/Old',
      status: 307,
      body: '',
      headers: { Location: '/api/v2/Older' },
    });
    emu.inject({
      route: '/api/v2/Older',
      status: 308,
      body: '',
      headers: { Location: `${foreign.url}/api/v2/Older` },
    });
    const error = await rejectionOf(client.get('Old'));
    expect(error.code).toBe('ERR_LW_CROSS_ORIGIN_REDIRECT');
    expect(foreign.received()).toEqual({ connections: 0, requests: 0 });
  });

  it('follows same-origin redirects, keeping the token and headers', async () => {
    const { emu, client } = await setup();
    emu.inject({
      route: '/api/v2/Moved',
      status: 301,
      body: '',
      headers: { Location: '/api/v2/Echo/here' },
    });
    const response = await client.get('Moved');
    expect(response.redirected).toBe(true);
    expect(response.url).toBe(`${emu.url}/api/v2/Echo/here`);
    const echoed = (await response.json()) as Record<string, unknown>;
    expect(echoed).toMatchObject({ method: 'GET', path: '/api/v2/Echo/here', tokenValid: true });
    expect(echoed.headers).toMatchObject({ 'account-name': 'canary-sub', 'org-access': 'true' });
  });

  it('307/308 keep the method and body; 303 and a POST after 302 become a GET without one', async () => {
    const { emu, client } = await setup();
    const body = { filters: [{ field: 'x', expression: 'eq', value: 'y' }] };
    for (const [status, method] of [
      [307, 'POST'],
      [308, 'POST'],
      [303, 'GET'],
      [302, 'GET'],
      [301, 'GET'],
    ] as const) {
      emu.inject({
        route: '/api/v2/Alerts/search',
        status,
        body: '',
        headers: { Location: '/api/v2/Echo/search' },
      });
      const echoed = (await client.post('Alerts/search', { json: body }).json()) as {
        method: string;
        body: unknown;
        headers: Record<string, string>;
      };
      expect(echoed.method, String(status)).toBe(method);
      expect(echoed.body, String(status)).toEqual(method === 'POST' ? body : null);
      if (method === 'GET') expect(echoed.headers['content-type']).toBeUndefined();
    }
  });

  it(`stops after ${MAX_REDIRECTS} same-origin redirects and reports the last one`, async () => {
    const { emu, client } = await setup();
    emu.inject({
      route: '/api/v2/Loop',
      status: 302,
      body: '',
      headers: { Location: '/api/v2/Loop' },
      times: Number.POSITIVE_INFINITY,
    });
    const error = await rejectionOf(client.get('Loop'));
    expect(error.code).toBe('ERR_LW_HTTP');
    expect(error.status).toBe(302);
    expect(routeRequests(emu, 'api')).toHaveLength(MAX_REDIRECTS + 1);
  });

  it("a request made with redirect: 'manual' gets the 3xx itself", async () => {
    const { emu, client } = await setup();
    const foreign = await otherOrigin();
    emu.inject({
      route: '/api/v2/Old',
      status: 302,
      body: '',
      headers: { Location: `${foreign.url}/x` },
    });
    const response = await client.get('Old', { redirect: 'manual', throwHttpErrors: false });
    expect(response.status).toBe(302);
    expect(foreign.received()).toEqual({ connections: 0, requests: 0 });
  });
});
