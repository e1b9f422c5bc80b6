// @ts-check
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startEmulator } from '@lacework-auth/emulator';
import { run } from '../src/main.js';

test('the generated collection runs in newman: 15 requests, 1 token exchange', async () => {
  const emulator = await startEmulator();
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
    assert.equal(summary.failures, 0);
    assert.equal(summary.exchanges, 1);
    assert.equal(summary.requestsServed, 15);
    assert.equal(summary.tokensReused, 14);
    assert.deepEqual(summary.statuses, {
      'GET /api/v2/UserProfile 200': 5,
      'GET /api/v2/CloudAccounts 200': 5,
      'POST /api/v2/Alerts/search 200': 5,
    });
    assert.equal(emulator.stats().exchanges, 1);
    assert.equal(emulator.stats().apiCalls, 15);
    const output = lines.join('\n');
    assert.ok(!output.includes(key.secret), 'the secret is never logged');
    assert.match(output, /15 requests sent by newman with 1 token exchange/);
  } finally {
    await emulator.close();
  }
});
