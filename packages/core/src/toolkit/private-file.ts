import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, constants, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import * as fs from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

// Never through a symlink, never over an existing file.
const O_NOFOLLOW = constants.O_NOFOLLOW ?? 0;
const CREATE_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | O_NOFOLLOW;
const isPosix = process.platform !== 'win32';

/**
 * Creates `path` with `text`, readable and writable by its owner only (0600 whatever the umask).
 * Fails when anything (a file, a symlink) is already there: a lock file is taken this way.
 */
export async function writeNewPrivateFile(path: string, text: string): Promise<void> {
  const handle = await fs.open(path, CREATE_FLAGS, 0o600);
  try {
    if (isPosix) await handle.chmod(0o600);
    await handle.writeFile(text, 'utf8');
  } finally {
    await handle.close();
  }
}

/**
 * Writes `text` to `path` so that only its owner can read it, also when `path` already exists
 * (`writeFile`'s `mode` applies to new files only, so an existing 0644 file would keep its mode
 * with the secret inside): a new 0600 file next to it is renamed over it, which is atomic (readers
 * see the old or the new content, never half) and replaces a symlink rather than writing through.
 */
export async function writePrivateFile(path: string, text: string): Promise<void> {
  const temp = tempNameFor(path);
  try {
    await writeNewPrivateFile(temp, text);
    await fs.rename(temp, path);
  } catch (error) {
    await fs.rm(temp, { force: true }).catch(() => undefined);
    throw error;
  }
}

/** {@link writePrivateFile} for synchronous code (CLIs). */
export function writePrivateFileSync(path: string, text: string): void {
  const temp = tempNameFor(path);
  try {
    const fd = openSync(temp, CREATE_FLAGS, 0o600);
    try {
      if (isPosix) chmodSync(temp, 0o600);
      writeSync(fd, text, null, 'utf8');
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}

function tempNameFor(path: string): string {
  return join(
    dirname(path),
    `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`,
  );
}
