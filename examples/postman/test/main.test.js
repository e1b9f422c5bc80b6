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

test('a refused key: the run fails, and no count of reused tokens goes negative', async (t) => {
  const { summary, output } = await runExample(
    (cleanup) => t.after(cleanup),
    (input) => run({ ...input, secret: '_0wrong0secret0for0this0example0' }),
  );
  assert.ok(summary.failures > 0);
  assert.equal(summary.requestsServed, 0);
  assert.equal(summary.tokensReused, 0);
  assert.match(output, /0 requests sent by newman with 1 token exchange\(s\); 0 reused/);
  assert.doesNotMatch(output, /0wrong0secret/);
});
