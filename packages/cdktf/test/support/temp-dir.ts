import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

// cdktf's Testing.app()/fullSynth() create `cdktf.outdir.*` folders under os.tmpdir() and never
// remove them. Importing this module points TMPDIR at a folder of this test file, removed after.
const original = process.env.TMPDIR;
const dir = mkdtempSync(join(tmpdir(), 'lacework-auth-cdktf-test-'));
process.env.TMPDIR = dir;

afterAll(() => {
  if (original === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = original;
  rmSync(dir, { recursive: true, force: true });
});

/** The per-file temporary directory (also `os.tmpdir()` while the file's tests run). */
export const testTempDir = dir;
