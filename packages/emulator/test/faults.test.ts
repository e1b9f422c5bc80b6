import { describe, expect, it, vi } from 'vitest';
import { api, emulator, exchange, token } from './support/helpers.js';

describe('fault injection', () => {
  it('replaces the answer with a status and default {"message"} body, once by default', async () => {
    const emu = await emulator();
    emu.inject({ route: 'token', status: 503 });
    const res = await exchange(emu);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ message: 'Service Unavailable' });
    expect((await exchange(emu)).status).toBe(201);
    expect(emu.stats()).toMatchObject({ faulted: 1, exchanges: 1 });
  });

  it('applies `times` times, and Infinity until cleared', async () => {
    const emu = await emulator();
    emu.inject({ route: 'token', status: 500, times: 2 });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await exchange(emu)).status);
    expect(statuses).toEqual([500, 500, 201]);
    emu.inject({ route: 'token', status: 502, times: Infinity });
    expect((await exchange(emu)).status).toBe(502);
    expect((await exchange(emu)).status).toBe(502);
    emu.clearFaults();
    expect((await exchange(emu)).status).toBe(201);
  });

  it('sends a string body as is (an HTML error page) and adds headers', async () => {
    const emu = await emulator();
    emu.inject({
      route: 'token',
      status: 502,
      body: '<html>Bad Gateway</html>',
      headers: { 'Content-Type': 'text/html' },
    });
    const res = await exchange(emu);
    expect(res.status).toBe(502);
    expect(res.headers.get('content-type')).toBe('text/html');
    expect(await res.text()).toBe('<html>Bad Gateway</html>');
  });

  it('fault headers override the emulator headers whatever their case', async () => {
    const emu = await emulator();
    emu.inject({
      route: 'token',
      status: 500,
      body: 'oops',
      headers: { 'content-type': 'text/html' },
    });
    const res = await exchange(emu);
    expect(res.headers.get('content-type')).toBe('text/html');
  });

  it('a 429 fault can carry Retry-After', async () => {
    const emu = await emulator();
    emu.inject({ route: 'api', status: 429, headers: { 'Retry-After': '1' } });
    const res = await api(emu, '/api/v2/UserProfile', await token(emu));
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('1');
  });

  it('headers alone are added to the real answer', async () => {
    const emu = await emulator();
    emu.inject({ route: 'token', headers: { 'X-Extra': 'yes' } });
    const res = await exchange(emu);
    expect(res.status).toBe(201);
    expect(res.headers.get('x-extra')).toBe('yes');
  });

  it('delays the answer by delayMs', async () => {
    const emu = await emulator();
    emu.inject({ route: 'token', delayMs: 300 });
    const started = Date.now();
    const res = await exchange(emu);
    expect(res.status).toBe(201);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('drops a delayed request whose client gave up, logging it at once', {
    timeout: 30_000,
  }, async () => {
    const emu = await emulator();
    emu.inject({ route: 'token', delayMs: 60_000 });
    await expect(exchange(emu, { signal: AbortSignal.timeout(100) })).rejects.toThrow();
    // Well before the 60 s delay is over (generous: the machine may be busy).
    await vi.waitFor(() => expect(emu.requests()).toHaveLength(1), { timeout: 20_000 });
    expect(emu.requests()).toMatchObject([{ route: 'token', status: 0, fault: true }]);
    expect(emu.stats().exchanges).toBe(0);
  });

  it('resets the connection', async () => {
    const emu = await emulator();
    emu.inject({ route: 'token', reset: true });
    await expect(exchange(emu)).rejects.toThrow(/fetch failed/);
    expect(emu.requests()[0]?.status).toBe(0);
    expect((await exchange(emu)).status).toBe(201);
  });

  it('sends the real status with a truncated JSON body', async () => {
    const emu = await emulator();
    emu.inject({ route: 'token', malformed: true });
    const res = await exchange(emu);
    expect(res.status).toBe(201);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    const text = await res.text();
    expect(() => JSON.parse(text)).toThrow();
    expect(text.startsWith('{"expiresAt"')).toBe(true);
  });

  it('stalls mid-body: status, headers and half the body, then nothing until the client leaves', async () => {
    const emu = await emulator();
    emu.inject({ route: 'token', stallBody: true });
    const controller = new AbortController();
    const res = await exchange(emu, { signal: controller.signal });
    expect(res.status).toBe(201);
    const announced = Number(res.headers.get('content-length'));
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const first = await reader.read();
    expect(first.done).toBe(false);
    const received = first.value?.byteLength ?? 0;
    expect(received).toBeGreaterThan(0);
    expect(received).toBeLessThan(announced);
    // The rest never comes: the next read is still pending when the client gives up.
    const rest = reader.read();
    const outcome = await Promise.race([
      rest.then(() => 'more'),
      new Promise((resolve) => setTimeout(() => resolve('stalled'), 300)),
    ]);
    expect(outcome).toBe('stalled');
    controller.abort();
    await expect(rest).rejects.toThrow();
    // The real handler ran (a token was issued, then never delivered), and the emulator is fine.
    expect(emu.stats()).toMatchObject({ faulted: 1, exchanges: 1 });
    expect((await exchange(emu)).status).toBe(201);
  });

  it('stalls a replaced answer too, and close() ends a stalled response', async () => {
    const emu = await emulator();
    emu.inject({ route: 'api', status: 503, body: { message: 'busy' }, stallBody: true });
    const res = await api(emu, '/api/v2/UserProfile', await token(emu));
    expect(res.status).toBe(503);
    const text = res.text();
    await emu.close();
    await expect(text).rejects.toThrow();
  });

  it('matches route token / api / path prefix / method', async () => {
    const emu = await emulator();
    const tok = await token(emu);
    emu.inject({ route: '/api/v2/Cloud', status: 500 });
    emu.inject({ route: 'api', method: 'post', status: 418 });
    expect((await api(emu, '/api/v2/UserProfile', tok)).status).toBe(200);
    expect((await exchange(emu)).status).toBe(201);
    expect((await api(emu, '/api/v2/CloudAccounts', tok)).status).toBe(500);
    expect(
      (await api(emu, '/api/v2/Alerts/search', tok, { method: 'POST', body: '{}' })).status,
    ).toBe(418);
  });

  it('applies faults in the order injected', async () => {
    const emu = await emulator();
    emu.inject({ status: 500 });
    emu.inject({ status: 503 });
    expect((await exchange(emu)).status).toBe(500);
    expect((await exchange(emu)).status).toBe(503);
  });

  it.each([
    [{ stauts: 500 }, /unknown field `stauts`/, 'fault.stauts'],
    [{ route: 'tokens', status: 500 }, /`fault.route`/, 'fault.route'],
    [{ status: 700 }, /`fault.status` must be an integer from 100 to 599/, 'fault.status'],
    [{ delayMs: -1 }, /`fault.delayMs`/, 'fault.delayMs'],
    [{ times: 0, status: 500 }, /`fault.times`/, 'fault.times'],
    [{ reset: true, status: 500 }, /only one of/, 'fault'],
    [{ route: 'token' }, /does nothing/, 'fault'],
    [{ headers: { 'Bad Header': 'x' } }, /invalid header/, 'fault.headers'],
    [{ stallBody: 1 }, /`fault.stallBody` must be true/, 'fault.stallBody'],
    [{ stallBody: true, reset: true }, /cannot be combined/, 'fault.stallBody'],
  ])('rejects the invalid fault %j, naming the field', async (fault, message, option) => {
    const emu = await emulator();
    expect(() => emu.inject(fault as never)).toThrow(message);
    expect(() => emu.inject(fault as never)).toThrow(
      expect.objectContaining({ code: 'ERR_LW_INVALID_OPTION', option }),
    );
  });
});
