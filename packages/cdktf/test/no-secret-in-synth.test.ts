import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import './support/temp-dir.js';
import { flavours, newStack } from './support/flavours.js';

const CANARY_SECRET = '_canary0secret0must0never0be0synthesized';
const CANARY_KEY_ID = 'CANARY_KEY_ID_0123456789ABCDEF';

function filesBelow(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

const saved = { ...process.env };
afterEach(() => {
  for (const name of [
    'TF_VAR_lacework_secret',
    'TF_VAR_lacework_key_id',
    'LW_API_SECRET',
    'LW_API_KEY',
  ]) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
});

describe.each(flavours)('no key material in cdktf.out ($name)', (flavour) => {
  const { LaceworkAccessToken, LaceworkKeyVariables } = flavour.pkg;

  it('writes references, not values, even with the secret in the environment at synth time', () => {
    // Terraform reads TF_VAR_* at plan time; synthesis must not pick them (or LW_*) up.
    process.env.TF_VAR_lacework_secret = CANARY_SECRET;
    process.env.TF_VAR_lacework_key_id = CANARY_KEY_ID;
    process.env.LW_API_SECRET = CANARY_SECRET;
    process.env.LW_API_KEY = CANARY_KEY_ID;

    const stack = newStack(flavour, 'canary');
    const key = new LaceworkKeyVariables(stack, 'key', { account: true });
    const lacework = new LaceworkAccessToken(stack, 'lacework', {
      ...key.config(),
      subAccount: 'dev',
    });
    new flavour.lib.TerraformOutput(stack, 'token', { value: lacework.token, sensitive: true });

    const outdir = flavour.lib.Testing.fullSynth(stack);
    const files = filesBelow(outdir);
    expect(files.some((file) => file.endsWith('cdk.tf.json'))).toBe(true);
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      expect(text, file).not.toContain(CANARY_SECRET);
      expect(text, file).not.toContain(CANARY_KEY_ID);
    }
    const config = readFileSync(
      files.find((file) => file.endsWith('cdk.tf.json')) as string,
      'utf8',
    );
    expect(config).toContain('"X-LW-UAKS": "${sensitive(var.lacework_secret)}"');
    expect(stack.node.metadata.concat(lacework.node.metadata)).toEqual([]);
  });
});
