import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OnFinished } from './cleanup.js';

/** A temporary directory (mode 0700), removed when the test finishes. */
export async function tempDirFixture(onFinished: OnFinished, prefix = 'lw-test-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  onFinished(() => rm(dir, { recursive: true, force: true }));
  return dir;
}
