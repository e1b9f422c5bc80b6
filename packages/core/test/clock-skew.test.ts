import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CANARY_KEY_ID, CANARY_SECRET } from '@lacework-auth/test-kit/vitest';
import { describe, expect, it, onTestFinished } from 'vitest';
import { isLaceworkAuthError } from '../src/protocol/errors.js';
import { createTokenProvider } from '../src/provider/token-provider.js';
import { rejectionOf } from './support/emulator.js';

const HOUR = 3_600_000;
const TOKEN = 'skewed-token-6f1c0a9e2b7d4c3a8e5f';

/**
 * A token endpoint whose clock is `skewMs` behind this machine's (the emulator shares our clock).
 * `date: false` leaves out the `Date` header.
 */
async function laggingServer(
  skewMs: number,
  options: { date?: boolean; lifetimeMs?: number } = {},
) {
  const server = createServer((req, res: ServerResponse) => {
    req.resume();
    req.on('end', () => {
      const serverNow = Date.now() - skewMs;
      res.sendDate = false;
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (options.date !== false) headers.date = new Date(serverNow).toUTCString();
      res.writeHead(201, headers);
      res.end(
        JSON.stringify({
          token: TOKEN,
          expiresAt: new Date(serverNow + (options.lifetimeMs ?? HOUR)).toISOString(),
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const warnings: string[] = [];
  const codes: string[] = [];
  const provider = createTokenProvider({
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    keyId: CANARY_KEY_ID,
    secret: CANARY_SECRET,
    env: {},
    retry: 0,
    onWarning: (message, code) => {
      warnings.push(message);
      codes.push(code);
    },
  });
  return { provider, warnings, codes };
}

describe('a local clock ahead of Lacework by more than the token lifetime', () => {
  it("uses the server's Date header to place expiresAt on the local clock, with a warning", async () => {
    const { provider, warnings, codes } = await laggingServer(2 * HOUR);
    const before = Date.now();
    const { token, expiresAt } = await provider.getToken();
    const after = Date.now();
    expect(token).toBe(TOKEN);
    // Lacework's hour, moved onto our clock; early by at most the Date header's second (+ latency).
    expect(expiresAt.getTime()).toBeLessThanOrEqual(after + HOUR);
    expect(expiresAt.getTime()).toBeGreaterThan(before + HOUR - 3_000);
    expect(warnings).toHaveLength(1);
    expect(codes).toEqual(['LW_CLOCK_SKEW']);
    expect(warnings[0]).toMatch(/clock is about 7(199|200|201) s ahead of Lacework's/);
    for (const secret of [CANARY_SECRET, TOKEN]) expect(warnings[0]).not.toContain(secret);
    // The token is cached like any other: no new exchange, no new warning.
    expect((await provider.getToken()).token).toBe(TOKEN);
    expect(warnings).toHaveLength(1);
  });

  it('without a Date header, falls back to request time + expiryTime, with a warning', async () => {
    const { provider, warnings } = await laggingServer(2 * HOUR, { date: false });
    const before = Date.now();
    const { expiresAt } = await provider.getToken();
    const after = Date.now();
    expect(expiresAt.getTime()).toBeGreaterThanOrEqual(before + HOUR);
    expect(expiresAt.getTime()).toBeLessThanOrEqual(after + HOUR);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/clock is probably ahead .*Date header/);
    for (const secret of [CANARY_SECRET, TOKEN]) expect(warnings[0]).not.toContain(secret);
  });

  it("a token expired by the server's own clock is still refused", async () => {
    const { provider, warnings } = await laggingServer(2 * HOUR, { lifetimeMs: -60_000 });
    const error = await rejectionOf(provider.getToken());
    expect(isLaceworkAuthError(error, 'ERR_LW_BAD_RESPONSE')).toBe(true);
    expect(error.message).toMatch(/already expired by the server's own clock/);
    expect(warnings).toEqual([]);
  });

  it('a small skew needs no correction and no warning', async () => {
    const { provider, warnings } = await laggingServer(60_000);
    const before = Date.now();
    const { expiresAt } = await provider.getToken();
    // The earlier of the two: Lacework's expiresAt, a minute short of a local hour.
    expect(expiresAt.getTime()).toBeLessThanOrEqual(Date.now() + HOUR - 60_000);
    expect(expiresAt.getTime()).toBeGreaterThanOrEqual(before + HOUR - 60_000);
    expect(warnings).toEqual([]);
  });
});
