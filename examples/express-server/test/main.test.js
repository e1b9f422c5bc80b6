// @ts-check
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startEmulator } from '@lacework-auth/emulator';
import { run } from '../src/main.js';

test('the route and the proxy share one token exchange; hostile requests are refused', async () => {
  const emulator = await startEmulator({ pageSize: 2 });
  try {
    const key = emulator.keys[0];
    assert.ok(key);
    /** @type {string[]} */
    const lines = [];
    const summary = await run({
      baseUrl: emulator.url,
      keyId: key.keyId,
      secret: key.secret,
      log: (line) => lines.push(line),
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
    for (const entry of emulator.requests())
      assert.ok(entry.path.startsWith('/api/v2/'), entry.path);
    const output = lines.join('\n');
    assert.ok(!output.includes(key.secret), 'the secret is never logged');
    assert.match(output, /GET \/api\/alerts → 200/);
    assert.match(output, /9 requests served \(3 proxied, 3 refused\) with 1 token exchange/);
  } finally {
    await emulator.close();
  }
});
