// @ts-check
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runExample } from '@lacework-auth/test-kit';
import { run } from '../src/main.js';

test('the generated collection runs in newman: 15 requests, 1 token exchange', async (t) => {
  // runExample also checks that the secret never reached the log.
  const { summary, output, emulator } = await runExample((cleanup) => t.after(cleanup), run, {});
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
  assert.match(output, /15 requests sent by newman with 1 token exchange/);
});
