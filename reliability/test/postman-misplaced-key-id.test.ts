// Finding of the canary sweep (see README "Findings"): `lacework-postman environment` wrote a
// secret pasted as --key-id (it starts with `_`, the shape the package itself treats as
// secret-like) into lw_key_id, a plain variable, of a file it then called safe to share. Fixed:
// the CLI refuses it (a usage error) and writes no file.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { CANARY_SECRET } from './support/canary.js';

const require = createRequire(import.meta.url);
const CLI = join(dirname(require.resolve('@lacework-auth/postman')), 'cli.js');

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lw-misplaced-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

function environment(keyId: string) {
  const file = join(dir, 'environment.json');
  return new Promise<{ code: number | null; output: string; written: string }>((resolve) => {
    execFile(
      process.execPath,
      [
        CLI,
        'environment',
        '--base-url',
        'https://acme.lacework.net',
        '--key-id',
        keyId,
        '-o',
        file,
      ],
      { env: { PATH: process.env.PATH ?? '', HOME: dir } },
      async (error, stdout, stderr) => {
        const written = await readFile(file, 'utf8').catch(() => '');
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        resolve({ code, output: stdout + stderr, written });
      },
    );
  });
}

it('control: a real key ID is written to lw_key_id', async () => {
  const { written } = await environment('ACME_0123456789ABCDEF0123456789ABCDEF0123456789ABCD');
  expect(written).toContain('ACME_0123456789ABCDEF0123456789ABCDEF0123456789ABCD');
});

it('a secret given as --key-id is refused, not written to a file called safe to share', async () => {
  const { code, output, written } = await environment(CANARY_SECRET);
  expect(code).toBe(2);
  expect(output).toMatch(/--key-id|`keyId`/);
  expect(output).toMatch(/looks like an API secret/);
  expect(output).not.toContain(CANARY_SECRET);
  expect(written).toBe('');
});
