import { createHash, randomBytes } from 'node:crypto';
import { constants, promises as fs } from 'node:fs';
import { homedir, hostname } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { InvalidOptionError } from '../protocol/errors.js';
import { SAFE_INPUT, showInput } from '../protocol/redact.js';
import { describe } from '../protocol/validate.js';
import { assertKnownOptions, assertOptionsObject, validateMs } from '../toolkit/options.js';
import { writeNewPrivateFile, writePrivateFile } from '../toolkit/private-file.js';
import type { WarningCode, WarningHandler } from '../toolkit/warnings.js';
import { untrustedDirReason } from './trusted-dir.js';
import { isStoredToken, type StoredToken, type TokenStore } from './types.js';

/** Options for {@link fileStore}. */
export interface FileStoreOptions {
  /**
   * Directory for the token files (created 0700). It must belong to the current user and be
   * writable by no one else, and so must every directory above it unless it is root's and, when
   * writable by others, sticky (like `/tmp`); otherwise files are not used (see `onWarning`).
   * @default `$XDG_CACHE_HOME/lacework-auth`, else `~/.cache/lacework-auth`
   */
  dir?: string;
  /**
   * A lock older than this is considered abandoned (its holder crashed or hung), in ms, unless
   * its holder runs on this host: then it is kept while that process lives (waiters give up after
   * `lockWaitMs` and go ahead without it) and broken at once when the process is gone.
   * @default 120000
   */
  staleLockMs?: number;
  /**
   * Longest wait for another process's lock before going ahead without it, in ms.
   * @default 150000
   */
  lockWaitMs?: number;
  /**
   * Receives the warning, once per store, that the directory is not trusted (another user's, or
   * writable by others), after which the store keeps no files: every `get` misses, `set` and
   * `delete` do nothing, `withLock` runs without a lock.
   * @default process.emitWarning with code `LW_UNTRUSTED_CACHE_DIR`
   */
  onWarning?: WarningHandler;
}

/** The `process.emitWarning` code of the warning about a cache directory that is not trusted. */
export const UNTRUSTED_CACHE_DIR_WARNING = 'LW_UNTRUSTED_CACHE_DIR' satisfies WarningCode;

/** Largest token file {@link fileStore} reads or writes, in bytes (an entry is about 1–2 KiB). */
export const MAX_CACHE_FILE_BYTES = 64 * 1024;
// A lock holds a pid, a host name and a random id.
const MAX_LOCK_FILE_BYTES = 1024;

const FORMAT = 'lacework-auth/token@1';
const POLL_MS = 25;
// O_NOFOLLOW: a symlink planted at the path is refused rather than followed. O_NONBLOCK: a FIFO
// planted there cannot block the open (it is then refused as not a regular file).
const O_NOFOLLOW = constants.O_NOFOLLOW ?? 0;
const O_NONBLOCK = constants.O_NONBLOCK ?? 0;
const READ_FLAGS = constants.O_RDONLY | O_NOFOLLOW | O_NONBLOCK;

const isPosix = process.platform !== 'win32';
const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;
// Callers in this process take turns per lock file before contending for the file itself, so a
// lock file naming this pid is never one of ours: an earlier process with the same pid (a
// container restarted as pid 1) left it.
const turns = new Map<string, Promise<void>>();
const warnedDirs = new Set<string>();

/**
 * A store in files, one per cache key, shared by every process of the same user: a second process
 * reuses the first one's token, and processes starting together make one exchange (an `O_EXCL`
 * lock file per key, with stale-lock detection). Files are written 0600 atomically (temp file +
 * rename) in a 0700 directory, contain the token and its expiry but never the secret.
 *
 * Nothing another user could have written is trusted: the directory (and those above it) must not
 * be another user's or writable by others (else the store warns once and keeps no files), files
 * and locks are opened without following symlinks and checked on the opened descriptor (a regular
 * file of ours, private, at most {@link MAX_CACHE_FILE_BYTES}), and a file that fails is a miss.
 *
 * @example
 * ```ts
 * const provider = createTokenProvider({ store: fileStore() });
 * ```
 */
export function fileStore(options: FileStoreOptions = {}): TokenStore {
  assertOptionsObject(options, 'fileStore');
  assertKnownOptions(options, ['dir', 'staleLockMs', 'lockWaitMs', 'onWarning'], 'fileStore');
  if (options.dir !== undefined && (typeof options.dir !== 'string' || options.dir === '')) {
    throw new InvalidOptionError(
      `\`dir\` must be a non-empty path, got ${describe(options.dir)}.`,
      { option: 'dir' },
    );
  }
  if (options.onWarning !== undefined && typeof options.onWarning !== 'function') {
    throw new InvalidOptionError(
      `\`onWarning\` must be a function, got ${describe(options.onWarning)}.`,
      { option: 'onWarning' },
    );
  }
  const dir = resolve(options.dir ?? defaultCacheDir());
  const staleLockMs = validateMs(options.staleLockMs, 'staleLockMs') ?? 120_000;
  const lockWaitMs = validateMs(options.lockWaitMs, 'lockWaitMs') ?? 150_000;
  const onWarning = options.onWarning ?? defaultUntrustedWarning(dir);
  // true: the directory exists and is trusted; false: refused (warned about once).
  let dirReady: Promise<boolean> | undefined;

  const ensureDir = () => {
    dirReady ??= prepareDir(dir).then(
      (reason) => {
        if (reason === undefined) return true;
        onWarning(
          `lacework-auth: not using the token cache directory ${showInput(dir, SAFE_INPUT.path, 'bare')}: ${reason}. Another user could plant or replace tokens and locks there, so tokens are not cached in files; use a directory of your own that only you can write to (chmod 700), such as the default ~/.cache/lacework-auth.`,
          UNTRUSTED_CACHE_DIR_WARNING,
        );
        return false;
      },
      (error: unknown) => {
        dirReady = undefined;
        throw error;
      },
    );
    return dirReady;
  };
  const fileFor = (key: string) => join(dir, `${fileName(key)}.json`);

  return {
    async get(key) {
      try {
        if (!(await ensureDir())) return undefined;
        const text = await readOwnFile(fileFor(key), MAX_CACHE_FILE_BYTES);
        return text === undefined ? undefined : parseEntry(text, key);
      } catch {
        return undefined;
      }
    },

    async set(key, value) {
      if (!isStoredToken(value)) throw new TypeError('fileStore.set needs { token, expiresAt }.');
      const entry = { format: FORMAT, key, token: value.token, expiresAt: value.expiresAt };
      const text = `${JSON.stringify(entry)}\n`;
      if (Buffer.byteLength(text) > MAX_CACHE_FILE_BYTES) {
        throw new RangeError(`fileStore keeps tokens up to ${MAX_CACHE_FILE_BYTES} bytes.`);
      }
      if (!(await ensureDir())) return;
      // Atomic, and it replaces a symlink at the file rather than writing where it points.
      await writePrivateFile(fileFor(key), text);
    },

    async delete(key) {
      if (!(await ensureDir().catch(() => false))) return;
      await fs.rm(fileFor(key), { force: true });
    },

    async withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
      const lockFile = `${fileFor(key)}.lock`;
      const endTurn = await takeTurn(lockFile, lockWaitMs);
      let release: (() => Promise<void>) | undefined;
      try {
        if (await ensureDir()) {
          release = await acquireLock(lockFile, { staleLockMs, lockWaitMs });
        }
      } catch {
        // A broken cache directory must not stop the exchange: go ahead unlocked.
        release = undefined;
      }
      try {
        return await fn();
      } finally {
        await release?.();
        endTurn();
      }
    },
  };
}

/**
 * Waits until the callers in this process before us are done with `lockFile` (or `waitMs` has
 * passed: then we go ahead, as with another process's lock); returns the end of our turn.
 */
async function takeTurn(lockFile: string, waitMs: number): Promise<() => void> {
  const before = turns.get(lockFile) ?? Promise.resolve();
  let end = () => {};
  const ours = new Promise<void>((resolve) => {
    end = resolve;
  });
  const queue = before.then(() => ours);
  turns.set(lockFile, queue);
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    before,
    new Promise((resolve) => {
      timer = setTimeout(resolve, waitMs);
    }),
  ]);
  clearTimeout(timer);
  return () => {
    end();
    if (turns.get(lockFile) === queue) turns.delete(lockFile);
  };
}

/** The default cache directory: `$XDG_CACHE_HOME/lacework-auth` or `~/.cache/lacework-auth`. */
export function defaultCacheDir(env: Record<string, string | undefined> = process.env): string {
  const xdg = env.XDG_CACHE_HOME;
  // The XDG spec says relative values are invalid and must be ignored.
  const base = xdg && isAbsolute(xdg) ? xdg : join(env.HOME || homedir(), '.cache');
  return join(base, 'lacework-auth');
}

function defaultUntrustedWarning(dir: string): WarningHandler {
  return (message) => {
    // One warning per directory and process: a store per request must not flood the log.
    if (warnedDirs.has(dir)) return;
    warnedDirs.add(dir);
    process.emitWarning(message, { code: UNTRUSTED_CACHE_DIR_WARNING });
  };
}

function fileName(key: string): string {
  return /^[A-Za-z0-9_-]{1,100}$/.test(key)
    ? key
    : `h-${createHash('sha256').update(key).digest('hex')}`;
}

function parseEntry(text: string, key: string): StoredToken | undefined {
  try {
    const json = JSON.parse(text) as Record<string, unknown>;
    if (json.format !== FORMAT || json.key !== key) return undefined;
    const entry = { token: json.token, expiresAt: json.expiresAt };
    if (!isStoredToken(entry) || entry.expiresAt <= Date.now()) return undefined;
    return { token: entry.token, expiresAt: entry.expiresAt };
  } catch {
    return undefined;
  }
}

/**
 * Creates `dir` (0700, parents too) and returns why it cannot be trusted, or `undefined`. A
 * directory of ours that others can read but not write is tightened to 0700.
 */
async function prepareDir(dir: string): Promise<string | undefined> {
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  if (!isPosix || uid === undefined) return undefined;
  const reason = await untrustedDirReason(dir, uid);
  if (reason !== undefined) return reason;
  const real = await fs.realpath(dir);
  const stat = await fs.stat(real);
  // Readable by others: tightened. A sticky directory shared on purpose (`/tmp`) is left alone.
  if ((stat.mode & 0o077) !== 0 && (stat.mode & 0o022) === 0) {
    await fs.chmod(real, stat.mode & 0o7700);
  }
  return undefined;
}

/**
 * The content of `path` (at most `maxBytes`), read from one descriptor opened without following
 * symlinks and checked with `fstat`: a regular file of ours that no one else can write (nor, with
 * `private`, read). `undefined` for anything else (a symlink, a FIFO, another user's file, too
 * large) or no file.
 */
async function readOwnFile(
  path: string,
  maxBytes: number,
  { private: secret = true } = {},
): Promise<string | undefined> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(path, READ_FLAGS);
  } catch {
    return undefined;
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile() || stat.size > maxBytes) return undefined;
    const foreignBits = secret ? 0o077 : 0o022;
    if (isPosix && ((uid !== undefined && stat.uid !== uid) || (stat.mode & foreignBits) !== 0)) {
      return undefined;
    }
    // One byte more than allowed: a file that grew since fstat is caught too.
    const buffer = Buffer.alloc(maxBytes + 1);
    let length = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length > maxBytes) return undefined;
    }
    return buffer.subarray(0, length).toString('utf8');
  } finally {
    await handle.close().catch(() => undefined);
  }
}

async function acquireLock(
  lockFile: string,
  limits: { staleLockMs: number; lockWaitMs: number },
): Promise<() => Promise<void>> {
  const id = `${process.pid}\n${hostname()}\n${randomBytes(8).toString('hex')}\n`;
  const started = Date.now();
  for (;;) {
    try {
      await writeNewPrivateFile(lockFile, id);
      return async () => {
        // Only remove the lock if it is still ours (it may have been broken as stale).
        const current = await readLock(lockFile);
        if (current === id) await fs.rm(lockFile, { force: true }).catch(() => undefined);
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    if (await isStale(lockFile, limits.staleLockMs)) {
      // Renaming is atomic: of several waiters that see the same stale lock, one moves it away.
      const aside = `${lockFile}.${randomBytes(6).toString('hex')}.stale`;
      try {
        await fs.rename(lockFile, aside);
        await fs.rm(aside, { force: true, recursive: true });
      } catch (error) {
        // Another user's lock in a sticky directory cannot be moved: go ahead without a lock
        // rather than wait for one that nobody holds.
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EPERM' || code === 'EACCES') return async () => undefined;
      }
      continue;
    }
    if (Date.now() - started > limits.lockWaitMs) {
      throw new Error('timed out waiting for the token cache lock');
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS + Math.random() * POLL_MS));
  }
}

// Who can read a lock does not matter (it holds no secret); who can write it does.
function readLock(lockFile: string): Promise<string | undefined> {
  return readOwnFile(lockFile, MAX_LOCK_FILE_BYTES, { private: false }).catch(() => undefined);
}

async function isStale(lockFile: string, staleLockMs: number): Promise<boolean> {
  let stat: Awaited<ReturnType<typeof fs.lstat>>;
  try {
    stat = await fs.lstat(lockFile);
  } catch {
    // Vanished between our attempts (released): not stale, just retry.
    return false;
  }
  // Not a lock we could have written (a symlink, a FIFO, a directory, another user's or an
  // oversized file): nothing to wait for.
  const text = await readLock(lockFile);
  if (text === undefined) return true;
  const [pidText, host] = text.split('\n');
  const pid = Number(pidText);
  if (host === hostname() && Number.isInteger(pid) && pid > 0) {
    // This pid is us, and no caller in this process holds the file lock (see `turns`).
    if (pid === process.pid) return true;
    // A holder on this host can be asked directly: alive (even if slow) keeps its lock, gone
    // loses it at once. Age only decides for locks from other hosts or in an unknown format.
    try {
      process.kill(pid, 0);
      return false;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ESRCH') return true;
      if ((error as NodeJS.ErrnoException).code === 'EPERM') return false;
    }
  }
  return Date.now() - stat.mtimeMs > staleLockMs;
}
