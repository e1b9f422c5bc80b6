import { describe, expect, it } from 'vitest';
import { api, CANARY_SECRET, emulator, token } from './support/helpers.js';

describe('Echo route', () => {
  it('answers what it received, with the token redacted and checked', async () => {
    const emu = await emulator();
    const tok = await token(emu);
    const res = await api(emu, '/api/v2/Echo/a/b?x=1&y=two', tok, {
      method: 'PUT',
      headers: {
        'Content-Type': 'application/json',
        'Account-Name': 'emulator-sub',
        Cookie: `s=${CANARY_SECRET}`,
      },
      body: JSON.stringify({ hello: 'world' }),
    });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).not.toContain(tok);
    expect(text).not.toContain(CANARY_SECRET);
    const body = JSON.parse(text);
    expect(body).toMatchObject({
      method: 'PUT',
      path: '/api/v2/Echo/a/b',
      query: { x: '1', y: 'two' },
      body: { hello: 'world' },
      tokenValid: true,
    });
    expect(body.headers.authorization).toBe('Bearer [REDACTED]');
    expect(body.headers.cookie).toBe('[REDACTED]');
    expect(body.headers['account-name']).toBe('emulator-sub');
    expect(emu.stats().apiCalls).toBe(1);
  });

  it('reports tokenValid false for a missing or bad token instead of refusing', async () => {
    const emu = await emulator();
    const none = await api(emu, '/api/v2/Echo', undefined);
    expect(none.status).toBe(200);
    expect(((await none.json()) as { tokenValid: boolean; body: unknown }).tokenValid).toBe(false);
    const bad = await api(emu, '/api/v2/Echo/x', 'bogus', { method: 'POST', body: 'plain text' });
    expect(await bad.json()).toMatchObject({
      tokenValid: false,
      body: 'plain text',
      method: 'POST',
    });
    expect(emu.stats().apiCalls).toBe(0);
  });
});
