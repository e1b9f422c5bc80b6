import { createHash, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { homedir, hostname } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { InvalidOptionError } from '../errors.js';
import { assertKnownOptions, describe } from '../validate.js';
import { isStoredToken, type StoredToken, type TokenStore } from './types.js';

/** Options for {@link fileStore}. */
export interface FileStoreOptions {
  /**
   * Directory for the token files (created 0700).
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
}

const FORMAT = 'lacework-auth/token@1';
const POLL_MS = 25;

/**
 * A store in files, one per cache key, shared by every process of the same user: a second process
 * reuses the first one's token, and processes starting together make one exchange (an `O_EXCL`
 * lock file per key, with stale-lock detection). Files are written 0600 atomically (temp file +
 * rename) in a 0700 directory, contain the token and its expiry but never the secret, and an
 * unreadable, corrupt or foreign file is treated as a miss.
 *
 * @example
 * ```ts
 * const provider = createTokenProvider({ store: fileStore() });
 * ```
 */
export function fileStore(options: FileStoreOptions = {}): TokenStore {
  if (options === null || typeof options !== 'object') {
    throw new InvalidOptionError(
      `\`fileStore\` options must be an object, got ${describe(options)}.`,
    );
  }
  assertKnownOptions(options, ['dir', 'staleLockMs', 'lockWaitMs'], 'fileStore');
  if (options.dir !== undefined && (typeof options.dir !== 'string' || options.dir === '')) {
    throw new InvalidOptionError(
      `\`dir\` must be a non-empty path, got ${describe(options.dir)}.`,
      {
        option: 'dir',
      },
    );
  }
  const dir = options.dir ?? defaultCacheDir();
  const staleLockMs = options.staleLockMs ?? 120_000;
  const lockWaitMs = options.lockWaitMs ?? 150_000;
  let dirReady: Promise<void> | undefined;

  const ensureDir = () => {
    dirReady ??= makePrivateDir(dir).catch((error: unknown) => {
      dirReady = undefined;
      throw error;
    });
    return dirReady;
  };
  const fileFor = (key: string) => join(dir, `${fileName(key)}.json`);

  return {
    async get(key) {
      let text: string;
      try {
        const file = fileFor(key);
        const stat = await fs.stat(file);
        // Someone else's file (or one others could have written) is not trusted.
        if (!ownedAndPrivate(stat)) return undefined;
        text = await fs.readFile(file, 'utf8');
      } catch {
        return undefined;
      }
      return parseEntry(text, key);
    },

    async set(key, value) {
      if (!isStoredToken(value)) throw new TypeError('fileStore.set needs { token, expiresAt }.');
      await ensureDir();
      const file = fileFor(key);
      const temp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
      const entry = { format: FORMAT, key, token: value.token, expiresAt: value.expiresAt };
      try {
        await fs.writeFile(temp, `${JSON.stringify(entry)}\n`, { mode: 0o600, flag: 'wx' });
        await fs.rename(temp, file);
      } catch (error) {
        await fs.rm(temp, { force: true }).catch(() => undefined);
        throw error;
      }
    },

    async delete(key) {
      await fs.rm(fileFor(key), { force: true });
    },

    async withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
      const lockFile = `${fileFor(key)}.lock`;
      let release: (() => Promise<void>) | undefined;
      try {
        await ensureDir();
        release = await acquireLock(lockFile, { staleLockMs, lockWaitMs });
      } catch {
        // A broken cache directory must not stop the exchange: go ahead unlocked.
        release = undefined;
      }
      try {
        return await fn();
      } finally {
        await release?.();
      }
    },
  };
}

/** The default cache directory: `$XDG_CACHE_HOME/lacework-auth` or `~/.cache/lacework-auth`. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env.XDG_CACHE_HOME;
  // The XDG spec says relative values are invalid and must be ignored.
  const base = xdg && isAbsolute(xdg) ? xdg : join(env.HOME || homedir(), '.cache');
  return join(base, 'lacework-auth');
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

const isPosix = process.platform !== 'win32';
const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;

function ownedAndPrivate(stat: { uid: number; mode: number; isFile(): boolean }): boolean {
  if (!stat.isFile()) return false;
  if (!isPosix) return true;
  return (uid === undefined || stat.uid === uid) && (stat.mode & 0o077) === 0;
}

async function makePrivateDir(dir: string): Promise<void> {
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  if (!isPosix) return;
  const stat = await fs.stat(dir);
  if ((stat.mode & 0o077) !== 0 && (uid === undefined || stat.uid === uid)) {
    await fs.chmod(dir, 0o700);
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
      await fs.writeFile(lockFile, id, { flag: 'wx', mode: 0o600 });
      return async () => {
        // Only remove the lock if it is still ours (it may have been broken as stale).
        const current = await fs.readFile(lockFile, 'utf8').catch(() => '');
        if (current === id) await fs.rm(lockFile, { force: true }).catch(() => undefined);
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    if (await isStale(lockFile, limits.staleLockMs)) {
      // Renaming is atomic: of several waiters that see the same stale lock, one moves it away.
      const aside = `${lockFile}.${randomBytes(6).toString('hex')}.stale`;
      await fs.rename(lockFile, aside).then(
        () => fs.rm(aside, { force: true }),
        () => undefined,
      );
      continue;
    }
    if (Date.now() - started > limits.lockWaitMs) {
      throw new Error('timed out waiting for the token cache lock');
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS + Math.random() * POLL_MS));
  }
}

async function isStale(lockFile: string, staleLockMs: number): Promise<boolean> {
  try {
    const [stat, text] = await Promise.all([fs.stat(lockFile), fs.readFile(lockFile, 'utf8')]);
    const [pidText, host] = text.split('\n');
    const pid = Number(pidText);
    if (host === hostname() && Number.isInteger(pid) && pid > 0) {
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
  } catch {
    // Vanished between our attempts (released): not stale, just retry.
    return false;
  }
}
