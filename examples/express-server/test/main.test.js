// @ts-check
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runExample } from '@lacework-auth/test-kit';
import { run } from '../src/main.js';

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
