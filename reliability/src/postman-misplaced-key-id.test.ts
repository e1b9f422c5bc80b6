// Finding of the canary sweep (see README "Findings"): `lacework-postman environment` writes a
// secret pasted as --key-id (it starts with `_`, the shape the package itself treats as
// secret-like) into lw_key_id, a plain variable, of a file it then calls safe to share
// (packages/postman/src/environment.ts has no check for it). Marked `fails`: it passes while
// the secret is written and fails once the CLI refuses it.
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
  return new Promise<{ output: string; written: string }>((resolve) => {
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
      async (_error, stdout, stderr) => {
        const written = await readFile(file, 'utf8').catch(() => '');
        resolve({ output: stdout + stderr, written });
      },
    );
  });
}

it('control: a real key ID is written to lw_key_id', async () => {
  const { written } = await environment('ACME_0123456789ABCDEF0123456789ABCDEF0123456789ABCD');
  expect(written).toContain('ACME_0123456789ABCDEF0123456789ABCDEF0123456789ABCD');
});

it.fails('a secret given as --key-id is refused, not written to a file called safe to share', async () => {
  const { output, written } = await environment(CANARY_SECRET);
  expect(output).not.toContain(CANARY_SECRET);
  expect(written).not.toContain(CANARY_SECRET);
});
