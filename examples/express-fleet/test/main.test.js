// @ts-check
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runExample } from '@lacework-auth/test-kit';
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
