import { describe, expect, it } from 'vitest';
import { TOKEN_PATH } from '../src/dispatch.js';
import { CANARY_KEY_ID, CANARY_SECRET, emulator, exchange } from './support/helpers.js';

const ISO_MS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

describe('token exchange', () => {
  it('answers 201 {expiresAt, token} with expiresAt in .SSSZ form, default 3600 s', async () => {
    const emu = await emulator();
    const before = Date.now();
    const res = await exchange(emu);
    expect(res.status).toBe(201);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const body = (await res.json()) as { expiresAt: string; token: string };
    expect(Object.keys(body).sort()).toEqual(['expiresAt', 'token']);
    expect(body.expiresAt).toMatch(ISO_MS);
    const expires = Date.parse(body.expiresAt);
    expect(expires).toBeGreaterThanOrEqual(before + 3600_000);
    expect(expires).toBeLessThanOrEqual(Date.now() + 3600_000);
    expect(body.token.length).toBeGreaterThanOrEqual(64);
    expect(emu.isIssuedToken(body.token)).toBe(true);
  });

  it('answers 200 instead when tokenStatus is 200', async () => {
    const emu = await emulator({ tokenStatus: 200 });
    const res = await exchange(emu);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ token: expect.any(String) });
  });

  it('honours expiryTime from 1 to 86400', async () => {
    const emu = await emulator();
    for (const expiryTime of [1, 10, 86400]) {
      const res = await exchange(emu, { expiryTime });
      expect(res.status).toBe(201);
      const { expiresAt } = (await res.json()) as { expiresAt: string };
      expect(Math.abs(Date.parse(expiresAt) - Date.now() - expiryTime * 1000)).toBeLessThan(2000);
    }
  });

  it('issues a different token each time', async () => {
    const emu = await emulator();
    const a = (await (await exchange(emu)).json()) as { token: string };
    const b = (await (await exchange(emu)).json()) as { token: string };
    expect(a.token).not.toBe(b.token);
  });

  it.each(['X-LW-UAKS', 'x-lw-uaks', 'X-Lw-Uaks'])('reads the secret from %s', async (name) => {
    const emu = await emulator();
    const key = emu.keys[0];
    const res = await fetch(`${emu.url}${TOKEN_PATH}`, {
      method: 'POST',
      headers: { [name]: key?.secret ?? '', 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ keyId: key?.keyId }),
    });
    expect(res.status).toBe(201);
  });

  it.each([
    ['expiryTime 0', { expiryTime: 0 }],
    ['expiryTime 86401', { expiryTime: 86401 }],
    ['expiryTime 1.5', { expiryTime: 1.5 }],
    ['expiryTime -5', { expiryTime: -5 }],
  ])('refuses %s with 400 {"message"}', async (_name, opts) => {
    const emu = await emulator();
    const res = await exchange(emu, opts);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).toMatch(
      /expiryTime must be an integer from 1 to 86400/,
    );
  });

  it.each([
    [
      'a string expiryTime',
      (k: string) => JSON.stringify({ keyId: k, expiryTime: '60' }),
      /expiryTime/,
    ],
    ['no keyId', () => JSON.stringify({ expiryTime: 60 }), /keyId/],
    ['a numeric keyId', () => JSON.stringify({ keyId: 5 }), /keyId/],
    ['invalid JSON', () => '{"keyId":', /not valid JSON/],
    ['a JSON array', () => '[]', /JSON object/],
    ['an empty body', () => '', /not valid JSON/],
  ])('refuses %s with 400', async (_name, body, message) => {
    const emu = await emulator();
    const res = await exchange(emu, { body: body(emu.keys[0]?.keyId ?? '') });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).toMatch(message);
  });

  it('refuses a body that is not declared as JSON with 400', async () => {
    const emu = await emulator();
    const res = await exchange(emu, { headers: { 'Content-Type': 'text/plain' } });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ message: 'Content-Type must be application/json.' });
  });

  it('refuses a missing secret, a wrong secret and an unknown keyId with 401', async () => {
    const emu = await emulator();
    for (const opts of [{ secret: undefined }, { secret: '_wrong' }, { keyId: 'NOPE_123' }]) {
      const res = await exchange(emu, opts);
      expect(res.status).toBe(401);
      expect(typeof ((await res.json()) as { message: string }).message).toBe('string');
    }
    expect(emu.stats()).toMatchObject({ exchanges: 0, rejected: 3 });
  });

  it('answers 405 with Allow: POST to other methods', async () => {
    const emu = await emulator();
    const res = await fetch(`${emu.url}${TOKEN_PATH}`);
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST');
    expect(((await res.json()) as { message: string }).message).toMatch(/GET not allowed/);
  });

  it('never puts the secret or the token in its answers or its log', async () => {
    const emu = await emulator({ keys: [{ keyId: CANARY_KEY_ID, secret: CANARY_SECRET }] });
    const ok = await exchange(emu);
    const { token } = (await ok.json()) as { token: string };
    const bad = await (await exchange(emu, { secret: `${CANARY_SECRET}x` })).text();
    const log = JSON.stringify(emu.requests());
    for (const text of [bad, log]) {
      expect(text).not.toContain(CANARY_SECRET);
      expect(text).not.toContain(token);
    }
    expect(emu.requests()[0]?.headers['x-lw-uaks']).toBe('[REDACTED]');
  });
});
