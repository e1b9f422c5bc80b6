// @ts-check
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { tmpdir } from 'node:os';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { emulatorFixture, keyOptions, runExample } from '@lacework-auth/test-kit';
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

/** `node src/main.js` with only `env` (and PATH): its exit code and output. */
function runScript(/** @type {Record<string, string>} */ env) {
  const script = fileURLToPath(new URL('../src/main.js', import.meta.url));
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [script],
      { env: { PATH: process.env.PATH ?? '', HOME: tmpdir(), ...env } },
      (error, stdout, stderr) => resolve({ code: error ? error.code : 0, output: stdout + stderr }),
    );
  });
}

test('node src/main.js runs against the embedded emulator when no LW_* key is set', async () => {
  const { code, output } = /** @type {{ code: number, output: string }} */ (await runScript({}));
  assert.equal(code, 0, output);
  assert.match(output, /core-script: no LW_\* credentials set; using a local emulator at http:/);
  assert.match(output, /20 API calls made with 1 token exchange/);
  assert.match(output, /core-script: the emulator counted 1 token exchange\(s\)$/m);
});

test('node src/main.js uses the LW_* key when set, and exits 1 naming a bad setting', async (t) => {
  const emulator = await emulatorFixture((cleanup) => t.after(cleanup), { pageSize: 2 });
  const key = keyOptions(emulator);
  const env = { LW_API_KEY: key.keyId, LW_API_SECRET: key.secret };
  const ok = /** @type {{ code: number, output: string }} */ (
    await runScript({ ...env, LW_API_SERVER_URL: key.baseUrl })
  );
  assert.equal(ok.code, 0, ok.output);
  assert.doesNotMatch(ok.output, /local emulator/);
  assert.match(ok.output, /20 API calls made with 1 token exchange/);
  assert.equal(emulator.stats().exchanges, 1);
  assert.ok(!ok.output.includes(key.secret));

  const bad = /** @type {{ code: number, output: string }} */ (
    await runScript({ ...env, LW_API_SERVER_URL: 'ftp://127.0.0.1' })
  );
  assert.equal(bad.code, 1);
  assert.match(bad.output, /^core-script: `LW_API_SERVER_URL` .* the Lacework API needs https/m);
  assert.ok(!bad.output.includes(key.secret));
});
