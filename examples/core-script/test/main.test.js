// @ts-check
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runExample } from '@lacework-auth/test-kit';
import { run } from '../src/main.js';

test('20 API calls, alerts paged with paginate(), share one token exchange', async (t) => {
  // runExample also checks that the secret never reached the log.
  const { summary, output, emulator } = await runExample((cleanup) => t.after(cleanup), run, {
    emulator: { pageSize: 2 },
  });
  assert.equal(summary.exchanges, 1);
  assert.equal(summary.requestsServed, 20);
  assert.equal(summary.tokensReused, 19);
  assert.equal(emulator.stats().exchanges, 1);
  assert.equal(emulator.stats().apiCalls, 20);
  assert.ok(summary.user);
  assert.equal(summary.cloudAccounts, 3);
  // Five alerts, two per page: the search and two nextPage GETs.
  assert.equal(summary.alerts, 5);
  assert.equal(summary.alertPages, 3);
  const paths = emulator.requests().map((r) => `${r.method} ${r.path.split('/')[3]}`);
  assert.deepEqual(
    paths.filter((p) => /Alerts|NextPage/.test(p)),
    ['POST Alerts', 'GET NextPage', 'GET NextPage'],
  );
  assert.match(
    output,
    /5 alert\(s\) over 3 page\(s\): 1 High, 1 Medium, 1 Critical, 1 Low, 1 Info/,
  );
  assert.match(output, /20 API calls made with 1 token exchange/);
});
