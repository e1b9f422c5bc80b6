// @ts-check
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startEmulator } from '@lacework-auth/emulator';
import { runExample } from '@lacework-auth/test-kit';
import { createApp, run } from '../src/main.js';

test('the route and the proxy share one token exchange; hostile requests are refused', async (t) => {
  // runExample also checks that the secret never reached the log.
  const { summary, output, emulator } = await runExample((cleanup) => t.after(cleanup), run, {
    emulator: { pageSize: 2 },
  });
  assert.equal(summary.exchanges, 1);
  assert.equal(summary.requestsServed, 9);
  assert.equal(summary.tokensReused, 4);
  assert.equal(summary.proxied, 3);
  assert.equal(summary.refused, 3);
  assert.ok(summary.user);
  assert.equal(emulator.stats().exchanges, 1);
  // /api/me, /api/alerts (a search and two next pages) and three proxied calls; the refused
  // ones never reached the emulator.
  assert.equal(emulator.stats().apiCalls, 7);
  for (const entry of emulator.requests()) assert.ok(entry.path.startsWith('/api/v2/'), entry.path);
  assert.match(output, /GET \/api\/alerts → 200/);
  assert.match(output, /9 requests served \(3 proxied, 3 refused\) with 1 token exchange/);
});

test('a key Lacework refuses fails the run, naming what failed, without the secret', async (t) => {
  const emulator = await startEmulator();
  t.after(() => emulator.close());
  const key = emulator.keys[0];
  assert.ok(key);
  const wrong = '_0000000000000000000000000000wrong';
  /** @type {string[]} */
  const lines = [];
  await assert.rejects(
    run({ baseUrl: emulator.url, keyId: key.keyId, secret: wrong, log: (l) => lines.push(l) }),
    (error) => {
      assert.ok(error instanceof Error);
      assert.match(error.message, /the calls to Lacework failed \(\/api\/me answered 502; 0 of 3/);
      assert.ok(!error.message.includes(wrong));
      return true;
    },
  );
  assert.ok(!lines.join('\n').includes(wrong));
  assert.equal(emulator.stats().apiCalls, 0);
});

test("express-rate-limit answers 429 per client before Lacework is asked; Lacework's own limit is 503", async () => {
  const emulator = await startEmulator();
  const key = emulator.keys[0];
  assert.ok(key);
  const app = createApp(
    { baseUrl: emulator.url, keyId: key.keyId, secret: key.secret },
    { perClientLimit: 3 },
  );
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  try {
    emulator.inject({
      route: '/api/v2/UserProfile',
      status: 429,
      headers: { 'Retry-After': '60' },
    });
    const lacework = await fetch(`${url}/lacework/UserProfile`);
    assert.equal(lacework.status, 503);
    assert.equal(lacework.headers.get('retry-after'), '60');
    const body = /** @type {{ error: { code: string } }} */ (await lacework.json());
    assert.equal(body.error.code, 'ERR_LW_RATE_LIMITED');
    const statuses = [];
    for (let i = 0; i < 3; i++) {
      const res = await fetch(`${url}/lacework/UserProfile`);
      await res.arrayBuffer();
      statuses.push(res.status);
    }
    assert.deepEqual(statuses, [200, 200, 429]);
    // The rate-limited one and the two served: the one express-rate-limit refused never arrived.
    const seen = emulator.requests().filter((entry) => entry.path === '/api/v2/UserProfile');
    assert.equal(seen.length, 3);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await emulator.close();
  }
});
