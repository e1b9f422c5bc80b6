// @ts-check
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { emulatorFixture, runExample } from '@lacework-auth/test-kit';
import { run } from '../src/main.js';

test('4 Express processes behind one key make one token exchange for the whole fleet', async (t) => {
  // runExample also checks that the secret never reached the log.
  const { summary, output, emulator } = await runExample((cleanup) => t.after(cleanup), run, {
    prepare: (emulator) => {
      // A slow token endpoint: every process asks while the first exchange is still running.
      emulator.inject({ route: 'token', delayMs: 300 });
    },
  });
  assert.equal(summary.servers, 4);
  assert.equal(summary.requestsServed, 40);
  assert.equal(summary.ok, 40);
  assert.equal(summary.exchanges, 1);
  assert.deepEqual([...summary.exchangesPerServer].sort(), [0, 0, 0, 1]);
  assert.equal(emulator.stats().exchanges, 1);
  // The proxy coalesces identical concurrent GETs (on by default): each process sends at least
  // one call upstream, and at most one per request.
  const apiCalls = emulator.stats().apiCalls;
  assert.ok(apiCalls >= 4 && apiCalls <= 40, `${apiCalls} API calls`);
  assert.match(output, /40 requests to 4 processes \(40 answered 200\) with 1 token exchange/);
});

test('a key Lacework refuses fails the run, naming the failed calls, without the secret', async (t) => {
  const emulator = await emulatorFixture((cleanup) => t.after(cleanup));
  const key = emulator.keys[0];
  assert.ok(key);
  const wrong = '_0000000000000000000000000000wrong';
  /** @type {string[]} */
  const lines = [];
  await assert.rejects(
    run({
      baseUrl: emulator.url,
      keyId: key.keyId,
      secret: wrong,
      servers: 2,
      requests: 2,
      log: (line) => lines.push(line),
    }),
    (error) => {
      assert.ok(error instanceof Error);
      assert.match(error.message, /^4 of 4 proxied calls failed \(HTTP 502\)/);
      assert.ok(!error.message.includes(wrong));
      return true;
    },
  );
  assert.ok(!lines.join('\n').includes(wrong));
});
