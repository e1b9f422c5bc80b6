// @ts-check
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startEmulator } from '@lacework-auth/emulator';
import { run } from '../src/main.js';

test('20 API calls share one token exchange', async () => {
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
    assert.equal(summary.exchanges, 1);
    assert.equal(summary.requestsServed, 20);
    assert.equal(summary.tokensReused, 19);
    assert.equal(emulator.stats().exchanges, 1);
    assert.equal(emulator.stats().apiCalls, 20);
    assert.ok(summary.user);
    const output = lines.join('\n');
    assert.ok(!output.includes(key.secret), 'the secret is never logged');
    assert.match(output, /20 API calls made with 1 token exchange/);
  } finally {
    await emulator.close();
  }
});
