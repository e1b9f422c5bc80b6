import {
  chmodSync,
  lstatSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../src/cli-run.js';

const SECRET = '_CANARY0mode0secret0never0shared';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'lw-postman-mode-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function environment(out: string) {
  let stderr = '';
  const code = await runCli(
    ['environment', '--account', 'acme', '--key-id', 'ACME_1234', '--include-secret', '-o', out],
    {
      stdout: () => {},
      stderr: (text) => {
        stderr += text;
      },
      env: { LW_API_SECRET: SECRET },
    },
  );
  return { code, stderr };
}

describe('environment --include-secret -o <file>', () => {
  it('makes an existing world-readable file 0600 before the secret is in it', async () => {
    const out = join(dir, 'env.json');
    writeFileSync(out, '{"old": true}\n');
    chmodSync(out, 0o644);

    const result = await environment(out);

    expect(result.code).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain(SECRET);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['env.json']);
    expect(result.stderr).not.toContain(SECRET);
  });

  it('replaces a symlink at the output path instead of writing through it', async () => {
    const victim = join(dir, 'victim.json');
    writeFileSync(victim, '{"other": "file"}\n');
    chmodSync(victim, 0o644);
    const out = join(dir, 'env.json');
    symlinkSync(victim, out);

    expect((await environment(out)).code).toBe(0);

    expect(lstatSync(out).isSymbolicLink()).toBe(false);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    expect(readFileSync(out, 'utf8')).toContain(SECRET);
    expect(readFileSync(victim, 'utf8')).toBe('{"other": "file"}\n');
  });

  it('creates a new file 0600 and leaves no temporary file behind on failure', async () => {
    const out = join(dir, 'new.json');
    expect((await environment(out)).code).toBe(0);
    expect(statSync(out).mode & 0o777).toBe(0o600);

    const missing = join(dir, 'no-such-dir', 'env.json');
    const failed = await environment(missing);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/ENOENT/);
    expect(failed.stderr).not.toContain(SECRET);
    expect(readdirSync(dir)).toEqual(['new.json']);
  });
});
