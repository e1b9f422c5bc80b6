// @ts-check
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startEmulator } from '@lacework-auth/emulator';
import { run } from '../src/main.js';

test('20 API calls, alerts paged with paginate(), share one token exchange', async () => {
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
    const output = lines.join('\n');
    assert.ok(!output.includes(key.secret), 'the secret is never logged');
    assert.match(
      output,
      /5 alert\(s\) over 3 page\(s\): 1 High, 1 Medium, 1 Critical, 1 Low, 1 Info/,
    );
    assert.match(output, /20 API calls made with 1 token exchange/);
  } finally {
    await emulator.close();
  }
});
