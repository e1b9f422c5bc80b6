import type { Emulator } from '@lacework-auth/emulator';
import {
  CANARY_SECRET,
  canaryEmulator,
  emulator,
  expectNoSecrets,
} from '@lacework-auth/test-kit/vitest';
import { describe, expect, it, vi } from 'vitest';
import { createLaceworkClient } from '../src/client/client.js';
import { PERMISSION_COOLDOWN_MS } from '../src/client/token-refusals.js';
import { isLaceworkAuthError } from '../src/protocol/errors.js';
import { providerFor, rejectionOf, routeRequests } from './support/emulator.js';

const FORBIDDEN = { status: 403, body: { message: 'User not authorized.' } };

/** A client whose provider holds a token, with `route` answering 403 from now on. */
async function forbidden(emu: Emulator, route: string) {
  const provider = providerFor(emu);
  const client = createLaceworkClient({ tokenProvider: provider });
  const { token } = await provider.getToken();
  emu.resetStats();
  emu.inject({ route, ...FORBIDDEN, times: Number.POSITIVE_INFINITY });
  return { provider, client, first: token };
}

describe('a key without permission for a route does not burn the rate limit', () => {
  it('N refused requests cost at most one extra exchange, and say the key lacks permission', async () => {
    const emu = await canaryEmulator();
    const { provider, client, first } = await forbidden(emu, 'api');

    for (let i = 0; i < 8; i++) {
      const error = await rejectionOf(client.get('CloudAccounts'));
      expect(isLaceworkAuthError(error, 'ERR_LW_UNAUTHORIZED')).toBe(true);
      expect(error.status).toBe(403);
      expect(error.message).toContain('lacks permission for GET /api/v2/CloudAccounts');
      expect(error.message).toContain('User not authorized.');
      const latest = (await provider.getToken()).token;
      expectNoSecrets(error, [CANARY_SECRET, first, latest]);
    }
    await Promise.all(Array.from({ length: 8 }, () => rejectionOf(client.get('CloudAccounts'))));
    expect(emu.stats().exchanges).toBe(1);
    // The first request tried twice (old token, fresh token); every later one once.
    expect(routeRequests(emu, 'api')).toHaveLength(2 + 7 + 8);
  });

  it('every spelling of one forbidden route shares its cooldown: N spellings, one exchange', async () => {
    const emu = await canaryEmulator();
    const { client } = await forbidden(emu, 'api');
    const spellings = [
      'CloudAccounts',
      'Cloud%41ccounts',
      'Cloud%61ccounts',
      '%2543loudAccounts',
      'CLOUDACCOUNTS',
      'cloudaccounts/',
      './CloudAccounts',
      'x/../CloudAccounts',
      'x%2f..%2fCloudAccounts',
      'CloudAccounts%2e',
      'CloudAccounts.',
      'CloudAccounts%20',
      'CloudAccounts;v=1',
      'CloudAccounts?limit=1',
      '%EF%BC%A3loudAccounts',
    ];
    for (const path of spellings) {
      const error = await rejectionOf(client.get(path));
      expect(isLaceworkAuthError(error, 'ERR_LW_UNAUTHORIZED'), path).toBe(true);
    }
    // HEAD is answered by the GET route: it shares the cooldown too.
    await rejectionOf(client.head('Cloud%41ccounts'));
    expect(emu.stats().exchanges).toBe(1);
    // Each spelling reached the server once (the first twice: old token, then the fresh one).
    expect(routeRequests(emu, 'api')).toHaveLength(spellings.length + 2);
  });

  it('other routes keep working with the refused token, without an exchange', async () => {
    const emu = await emulator();
    const { client } = await forbidden(emu, '/api/v2/CloudAccounts');
    for (let i = 0; i < 3; i++) await rejectionOf(client.get('CloudAccounts'));
    await client.get('UserProfile').json();
    expect(emu.stats().exchanges).toBe(1);
  });

  it('clients sharing a provider share the cooldown (a client per request stays cheap)', async () => {
    const emu = await emulator();
    const { provider } = await forbidden(emu, 'api');
    for (let i = 0; i < 5; i++) {
      await rejectionOf(createLaceworkClient({ tokenProvider: provider }).get('UserProfile'));
    }
    expect(emu.stats().exchanges).toBe(1);
  });

  it('tries one new exchange once the cooldown is over', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      const emu = await emulator();
      const { client } = await forbidden(emu, 'api');
      await rejectionOf(client.get('UserProfile'));
      await rejectionOf(client.get('UserProfile'));
      expect(emu.stats().exchanges).toBe(1);
      vi.setSystemTime(Date.now() + PERMISSION_COOLDOWN_MS + 1);
      await rejectionOf(client.get('UserProfile'));
      await rejectionOf(client.get('UserProfile'));
      expect(emu.stats().exchanges).toBe(2);
    } finally {
      vi.useRealTimers();
    }
  });

  it('a token revoked during the cooldown is still replaced on other routes', async () => {
    const emu = await emulator();
    const { client } = await forbidden(emu, '/api/v2/CloudAccounts');
    await rejectionOf(client.get('CloudAccounts'));
    emu.resetStats();
    // A revocation is a token problem: the refused route must not block the replacement.
    emu.revokeTokens();
    await client.get('UserProfile').json();
    expect(emu.stats().exchanges).toBe(1);
    // The forbidden route is still in its cooldown, with the new token too.
    await rejectionOf(client.get('CloudAccounts'));
    expect(emu.stats().exchanges).toBe(1);
  });

  it('a newer token the provider moved on to gets one exchange on a refused route, if revoked', async () => {
    const emu = await emulator();
    const { provider, client } = await forbidden(emu, '/api/v2/CloudAccounts');
    await rejectionOf(client.get('CloudAccounts'));
    // The key gets the permission; the provider refreshes on its own; that token is revoked.
    emu.clearFaults();
    await provider.getToken({ forceRefresh: true });
    emu.revokeTokens();
    emu.resetStats();
    await client.get('CloudAccounts').json();
    expect(emu.stats().exchanges).toBe(1);
  });

  it('a newer token still refused on the route costs one exchange, then the cooldown holds', async () => {
    const emu = await emulator();
    const { provider, client } = await forbidden(emu, '/api/v2/CloudAccounts');
    await rejectionOf(client.get('CloudAccounts'));
    await provider.getToken({ forceRefresh: true });
    emu.resetStats();
    for (let i = 0; i < 5; i++) {
      const error = await rejectionOf(client.get('CloudAccounts'));
      expect(isLaceworkAuthError(error, 'ERR_LW_UNAUTHORIZED')).toBe(true);
    }
    await Promise.all(Array.from({ length: 5 }, () => rejectionOf(client.get('CloudAccounts'))));
    expect(emu.stats().exchanges).toBe(1);
  });
});
