import { createServer } from 'node:http';
import { describe, expect, it } from 'vitest';
import { listen, scriptedServer, sharedEmulator } from '../src/vitest.js';

const emu = await sharedEmulator();

describe('sharedEmulator', () => {
  it('is one emulator for the file: a fault and stats left by a test…', async () => {
    emu.inject({ route: 'token', status: 500, body: { message: 'down' } });
    await fetch(`${emu.url}/api/v2/UserProfile`);
    expect(emu.requests()).toHaveLength(1);
  });

  it('…are gone before the next test', async () => {
    expect(emu.requests()).toEqual([]);
    const key = emu.keys[0];
    const res = await fetch(`${emu.url}/api/v2/access/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-lw-uaks': key?.secret ?? '' },
      body: JSON.stringify({ keyId: key?.keyId, expiryTime: 3600 }),
    });
    expect(res.status).toBe(201);
  });
});

describe('listen and scriptedServer', () => {
  it('serve on loopback and count the connections they accept', async () => {
    const server = await listen(createServer((_req, res) => res.end('hi')));
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await (await fetch(server.url, { headers: { connection: 'close' } })).text()).toBe('hi');
    expect(server.connections()).toBe(1);

    const scripted = await scriptedServer(() => ({ status: 200, body: { data: 'forged' } }));
    const res = await fetch(`${scripted.url}/x`);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(await res.text()).toBe('{"data":"forged"}');
    expect(scripted.connections()).toBe(1);
    expect(scripted.requests.map((r) => r.path)).toEqual(['/x']);
  });
});
