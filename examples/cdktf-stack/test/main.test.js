// @ts-check
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are Terraform expressions, not JS templates
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runExample } from '@lacework-auth/test-kit';
import { run } from '../src/main.js';
import { buildApp, STACK_NAME } from '../src/stack.js';

test('run() synthesizes the stack without fetching a token or leaking the secret', async (t) => {
  // runExample also checks that the secret never reached the log.
  const { summary, output, emulator } = await runExample((cleanup) => t.after(cleanup), run, {});
  assert.deepEqual(summary.dataSources, ['http.user_profile', 'lacework-auth_token.lacework']);
  assert.deepEqual(summary.outputs.sort(), ['expires_at', 'token', 'username']);
  assert.deepEqual(summary.sensitiveOutputs, ['token']);
  assert.equal(summary.secretInSynthesizedFiles, false);
  assert.equal(summary.keyIdInSynthesizedFiles, false);
  assert.equal(emulator.stats().exchanges, 0, 'synthesis never calls the token endpoint');

  assert.match(output, new RegExp(`base_url = ${emulator.url}`));
  assert.match(output, /no key in the stack: the provider reads LW_API_KEY and LW_API_SECRET/);
  assert.match(output, /Authorization: Bearer \$\{data\.lacework-auth_token\.lacework\.token\}/);
});

test('buildApp() writes a runnable stack directory; without a base URL it asks for one', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'cdktf-stack-test-'));
  try {
    const { stackDir, configFile } = buildApp({ outdir });
    assert.equal(stackDir, join(outdir, 'stacks', STACK_NAME));
    assert.ok(readdirSync(stackDir).includes('cdk.tf.json'));
    const config = JSON.parse(readFileSync(configFile, 'utf8'));
    // The default mode declares no key variables: Terraform saves variable values in plan files.
    assert.deepEqual(Object.keys(config.variable), ['lacework_base_url']);
    assert.deepEqual(config.provider['lacework-auth'], [
      { alias: 'lacework', base_url: '${var.lacework_base_url}' },
    ]);
    const { '//': _metadata, ...token } = config.data['lacework-auth_token'].lacework;
    assert.deepEqual(token, { expiry_time: 3600, provider: 'lacework-auth.lacework' });
    assert.deepEqual(config.terraform.backend, { local: { path: 'terraform.tfstate' } });
    assert.equal(
      config.output.username.value,
      '${jsondecode(data.http.user_profile.response_body).data.0.username}',
    );
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
});
