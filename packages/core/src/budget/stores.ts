import { constants, promises as fs } from 'node:fs';
import { join, resolve } from 'node:path';
import { InvalidOptionError } from '../protocol/errors.js';
import { describe } from '../protocol/validate.js';
import { defaultCacheDir, fileStore } from '../stores/file.js';
import { untrustedDirReason } from '../stores/trusted-dir.js';
import type { MaybePromise } from '../stores/types.js';
import { assertKnownOptions, assertOptionsObject } from '../toolkit/options.js';
import { writePrivateFile } from '../toolkit/private-file.js';
import type { BudgetState } from './state.js';

/**
 * Where a rate budget keeps its state, so that every process using one key draws on one budget.
 * `update` must be atomic per key: no other update of that key (in any process sharing the
 * store) may run between reading the state and storing what `change` returned. `change` is
 * synchronous and quick. Keys are opaque (`lw-budget-<sha256>`), never a secret.
 *
 * A Redis store implements it with a lock (or `WATCH`/`MULTI`) around `GET` and `SET … PX
 * <window>` of the JSON state.
 */
export interface BudgetStore {
  update<T>(
    key: string,
    change: (state: BudgetState | undefined) => { state: BudgetState; result: T },
  ): MaybePromise<T>;
}

/**
 * Budget state in this process's memory. The default store: every provider (and proxy) of one
 * key in the process shares one budget through it.
 */
export function memoryBudgetStore(): BudgetStore {
  const states = new Map<string, BudgetState>();
  return {
    update(key, change) {
      const { state, result } = change(structuredClone(states.get(key)));
      if (state.sent.length === 0 && state.server === undefined) states.delete(key);
      else states.set(key, state);
      return result;
    },
  };
}

/** Options of {@link fileBudgetStore}. */
export interface FileBudgetStoreOptions {
  /**
   * Directory for the budget files, trusted as `fileStore` requires (yours, writable by no one
   * else).
   * @default the token cache directory (`$XDG_CACHE_HOME/lacework-auth` or `~/.cache/lacework-auth`)
   */
  dir?: string | undefined;
}

const FORMAT = 'lacework-auth/budget@1';
const MAX_FILE_BYTES = 256 * 1024;
const READ_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);
const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;

/**
 * Budget state in files, one per key, shared by every process of the user on this machine
 * (scripts run in parallel, cron jobs, several servers). Each update holds `fileStore`'s
 * cross-process lock for the key. A directory another user could write to is refused (the
 * budget then lives in memory only, with a warning from `fileStore`'s checks).
 *
 * @example
 * ```ts
 * const lacework = createLaceworkClient({ budget: { store: fileBudgetStore() } });
 * ```
 */
export function fileBudgetStore(options: FileBudgetStoreOptions = {}): BudgetStore {
  assertOptionsObject(options, 'fileBudgetStore');
  assertKnownOptions(options, ['dir'], 'fileBudgetStore');
  if (options.dir !== undefined && (typeof options.dir !== 'string' || options.dir === '')) {
    throw new InvalidOptionError(
      `\`dir\` must be a non-empty path, got ${describe(options.dir)}.`,
      { option: 'dir' },
    );
  }
  const locks = fileStore(options.dir === undefined ? {} : { dir: options.dir });
  let dir: Promise<string | undefined> | undefined;
  const trustedDir = () => {
    dir ??= (async () => {
      const path = resolve(options.dir ?? defaultCacheDir());
      await fs.mkdir(path, { recursive: true, mode: 0o700 });
      if (uid !== undefined && (await untrustedDirReason(path, uid)) !== undefined) {
        return undefined;
      }
      return path;
    })().catch(() => undefined);
    return dir;
  };
  const fallback = memoryBudgetStore();

  return {
    async update(key, change) {
      const path = await trustedDir();
      if (path === undefined) return fallback.update(key, change);
      const file = join(path, `${key.replace(/[^A-Za-z0-9_-]/g, '_')}.budget.json`);
      const apply = async () => {
        const { state, result } = change(await readState(file, key));
        await writeState(file, key, state);
        return result;
      };
      return locks.withLock ? locks.withLock(`${key}-budget`, apply) : apply();
    },
  };
}

async function readState(file: string, key: string): Promise<BudgetState | undefined> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, READ_FLAGS);
  } catch {
    return undefined;
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile() || stat.size > MAX_FILE_BYTES) return undefined;
    if (uid !== undefined && (stat.uid !== uid || (stat.mode & 0o022) !== 0)) return undefined;
    const json = JSON.parse(await handle.readFile('utf8')) as Record<string, unknown>;
    if (json.format !== FORMAT || json.key !== key) return undefined;
    const sent = Array.isArray(json.sent) ? json.sent.filter(Number.isFinite) : [];
    const server = json.server as BudgetState['server'];
    const validServer =
      server !== null &&
      typeof server === 'object' &&
      Number.isFinite(server.remaining) &&
      Number.isFinite(server.resetAt);
    return validServer ? { sent, server } : { sent };
  } catch {
    return undefined;
  } finally {
    await handle.close().catch(() => undefined);
  }
}

async function writeState(file: string, key: string, state: BudgetState): Promise<void> {
  await writePrivateFile(file, `${JSON.stringify({ format: FORMAT, key, ...state })}\n`);
}
