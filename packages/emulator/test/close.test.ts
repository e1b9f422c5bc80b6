import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { startEmulator } from '../src/server.js';
import { exchange } from './support/helpers.js';

describe('close()', () => {
  it('ends quickly with an idle keep-alive connection open', async () => {
    const emu = await startEmulator();
    expect((await exchange(emu)).status).toBe(201); // fetch keeps the socket alive
    const started = Date.now();
    await emu.close();
    expect(Date.now() - started).toBeLessThan(500);
    await expect(fetch(emu.url)).rejects.toThrow();
  });

  it('ends quickly while a delayed request is pending, and twice is harmless', async () => {
    const emu = await startEmulator();
    emu.inject({ delayMs: 60_000 });
    const pending = new Promise<string>((resolve) => {
      const req = request(`${emu.url}/api/v2/UserProfile`, (res) =>
        resolve(String(res.statusCode)),
      );
      req.on('error', (e) => resolve(e.message));
      req.end();
    });
    await new Promise((r) => setTimeout(r, 50));
    const started = Date.now();
    await Promise.all([emu.close(), emu.close()]);
    expect(Date.now() - started).toBeLessThan(500);
    expect(await pending).toMatch(/socket hang up|ECONNRESET/);
  });
});
