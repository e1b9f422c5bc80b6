import { promises as fs } from 'node:fs';
import { dirname, parse, resolve } from 'node:path';
import { SAFE_INPUT, showInput } from '../protocol/redact.js';

const STICKY = 0o1000;

/**
 * Why `dir` (which exists) cannot be trusted to hold tokens and locks for user `uid`, or
 * `undefined` when it can. Another user must not be able to change what is in it, now or later:
 *
 * - `dir` itself (where it really is, symlinks resolved) is owned by `uid`;
 * - every directory above it, on the path as given and on the real path, is owned by `uid` or
 *   root;
 * - each of them is writable by others only with the sticky bit (like `/tmp`, where only an
 *   entry's owner may rename or remove it: what others add there is theirs, and ignored);
 * - every symlink on the path as given is owned by `uid` or root (only they can repoint it).
 */
export async function untrustedDirReason(dir: string, uid: number): Promise<string | undefined> {
  const given = resolve(dir);
  const real = await fs.realpath(given);
  for (const path of new Set([...lineage(given), ...lineage(real)])) {
    const stat = await fs.lstat(path);
    const shown = showInput(path, SAFE_INPUT.path, 'bare');
    const owner = stat.uid === uid ? 'you' : stat.uid === 0 ? 'root' : `uid ${stat.uid}`;
    const mode = (stat.mode & 0o7777).toString(8).padStart(4, '0');
    if (stat.isSymbolicLink()) {
      if (owner !== 'you' && owner !== 'root') {
        return `${shown} is a symbolic link owned by another user (${owner})`;
      }
      continue;
    }
    if (!stat.isDirectory()) return `${shown} is not a directory`;
    const where = path === real ? 'it' : `${shown}, a directory above it,`;
    if (path === real ? stat.uid !== uid : owner !== 'you' && owner !== 'root') {
      return `${where} belongs to another user (${owner})`;
    }
    if ((stat.mode & 0o022) !== 0 && (stat.mode & STICKY) === 0) {
      return `${where} is writable by other users without the sticky bit (mode ${mode})`;
    }
  }
  return undefined;
}

/** `path` and every directory above it, root first. */
function lineage(path: string): string[] {
  const chain = [path];
  const { root } = parse(path);
  let current = path;
  while (current !== root) {
    current = dirname(current);
    chain.unshift(current);
  }
  return chain;
}
