// @ts-check
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are Terraform expressions, not JS templates
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { startEmulator } from '@lacework-auth/emulator';
import { run } from '../src/main.js';
import { buildApp, STACK_NAME } from '../src/stack.js';

test('run() synthesizes the stack without fetching a token or leaking the secret', async () => {
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
    assert.deepEqual(summary.dataSources, ['lacework', 'user_profile']);
    assert.deepEqual(summary.outputs.sort(), ['expires_at', 'token', 'username']);
    assert.deepEqual(summary.sensitiveOutputs, ['token']);
    assert.equal(summary.secretInSynthesizedFiles, false);
    assert.equal(summary.keyIdInSynthesizedFiles, false);
    assert.equal(emulator.stats().exchanges, 0, 'synthesis never calls the token endpoint');

    const output = lines.join('\n');
    assert.ok(!output.includes(key.secret), 'the secret is never logged');
    assert.match(output, /X-LW-UAKS: \$\{sensitive\(var\.lacework_secret\)\}/);
    assert.match(output, new RegExp(`POST ${emulator.url}/api/v2/access/tokens`));
    assert.match(
      output,
      /Authorization: Bearer \$\{sensitive\(jsondecode\(data\.http\.lacework\.response_body\)\.token\)\}/,
    );
  } finally {
    await emulator.close();
  }
});

test('buildApp() writes a runnable stack directory; without a base URL it asks for one', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'cdktf-stack-test-'));
  try {
    const { stackDir, configFile } = buildApp({ outdir });
    assert.equal(stackDir, join(outdir, 'stacks', STACK_NAME));
    assert.ok(readdirSync(stackDir).includes('cdk.tf.json'));
    const config = JSON.parse(readFileSync(configFile, 'utf8'));
    assert.deepEqual(Object.keys(config.variable).sort(), [
      'lacework_base_url',
      'lacework_key_id',
      'lacework_secret',
    ]);
    assert.equal(config.variable.lacework_secret.sensitive, true);
    assert.deepEqual(config.terraform.backend, { local: { path: 'terraform.tfstate' } });
    assert.equal(
      config.output.username.value,
      '${jsondecode(data.http.user_profile.response_body).data.0.username}',
    );
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
});
