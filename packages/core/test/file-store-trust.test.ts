import { execFileSync } from 'node:child_process';
import {
  chmod,
  chown,
  lchown,
  mkdir,
  readdir,
  stat,
  symlink,
  truncate,
  writeFile,
} from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { emulator, tempDir } from '@lacework-auth/test-kit/vitest';
import { describe, expect, it, onTestFinished } from 'vitest';
import {
  fileStore,
  MAX_CACHE_FILE_BYTES,
  UNTRUSTED_CACHE_DIR_WARNING,
} from '../src/stores/file.js';
import { providerFor } from './support/emulator.js';

// Cases marked "(root)" chown files to another user, which only root can do; they assert that
// precondition rather than skip. The others pass for any user.
const uid = process.getuid?.() ?? -1;
const OTHER_UID = 65534;
const LIVE_LOCK = `1\n${hostname()}\nplanted\n`;

function needsRoot() {
  expect(uid, 'this case chowns to another user, which needs root').toBe(0);
}

/** A token entry as fileStore writes it, for `key`. */
function entry(key: string, token: string, extra: Record<string, unknown> = {}) {
  const json = { format: 'lacework-auth/token@1', key, token, expiresAt: Date.now() + 3_600_000 };
  return `${JSON.stringify({ ...json, ...extra })}\n`;
}

/** A token file of ours (0600), valid for `key`, at `path`. */
async function forge(path: string, key = 'lw-a', token = 'forged-token') {
  await writeFile(path, entry(key, token), { mode: 0o600 });
  await chmod(path, 0o600);
}

function collect() {
  const warnings: string[] = [];
  return { warnings, onWarning: (message: string) => warnings.push(message) };
}

/** A directory of another user: chowned when root, else the system temp directory (root's). */
async function othersDir(): Promise<string> {
  if (uid === 0) {
    const dir = join(await tempDir(), 'theirs');
    await mkdir(dir, { mode: 0o755 });
    await chown(dir, OTHER_UID, OTHER_UID);
    return dir;
  }
  const dir = tmpdir();
  expect((await stat(dir)).uid, 'needs a directory of another user (os.tmpdir())').not.toBe(uid);
  return dir;
}

describe('fileStore refuses a directory others control, and runs without files', () => {
  it('a directory of another user: warns once, ignores a token planted there, writes nothing', async () => {
    const dir = await othersDir();
    const key = `lw-trust-${process.pid}-${Date.now()}`;
    const planted = join(dir, `${key}.json`);
    onTestFinished(async () => {
      await import('node:fs/promises').then((fs) => fs.rm(planted, { force: true }));
    });
    // A file of ours with a valid entry: only the directory is wrong.
    await forge(planted, key);
    const { warnings, onWarning } = collect();
    const store = fileStore({ dir, onWarning });
    expect(await store.get(key)).toBeUndefined();
    await store.set(`${key}-b`, { token: 'token-b', expiresAt: Date.now() + 60_000 });
    await store.delete(key);
    expect(await readdir(dir)).not.toContain(`${key}-b.json`);
    expect(await readdir(dir)).toContain(`${key}.json`);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/not using the token cache directory .*belongs to another user/);
  });

  it('a directory of ours writable by group or others (no sticky bit) is refused, its mode kept', async () => {
    for (const mode of [0o777, 0o770, 0o702]) {
      const dir = join(await tempDir(), 'cache');
      await mkdir(dir);
      await chmod(dir, mode);
      await forge(join(dir, 'lw-a.json'));
      const { warnings, onWarning } = collect();
      const store = fileStore({ dir, onWarning });
      expect(await store.get('lw-a'), mode.toString(8)).toBeUndefined();
      expect(warnings[0]).toMatch(/writable by other users without the sticky bit/);
      expect((await stat(dir)).mode & 0o7777).toBe(mode);
    }
  });

  it('a directory above it writable by others without the sticky bit is refused', async () => {
    const open = join(await tempDir(), 'open');
    await mkdir(open);
    await chmod(open, 0o777);
    const dir = join(open, 'cache');
    await mkdir(dir, { mode: 0o700 });
    await forge(join(dir, 'lw-a.json'));
    const { warnings, onWarning } = collect();
    expect(await fileStore({ dir, onWarning }).get('lw-a')).toBeUndefined();
    expect(warnings[0]).toMatch(/a directory above it, is writable by other users/);
  });

  it('a parent it creates is checked too (root): one of another user is refused', async () => {
    needsRoot();
    const theirs = join(await tempDir(), 'theirs');
    await mkdir(theirs, { mode: 0o755 });
    await chown(theirs, OTHER_UID, OTHER_UID);
    const dir = join(theirs, 'a', 'cache');
    const { warnings, onWarning } = collect();
    const store = fileStore({ dir, onWarning });
    await store.set('lw-a', { token: 'token-a', expiresAt: Date.now() + 60_000 });
    expect(await readdir(dir)).toEqual([]);
    expect(warnings[0]).toMatch(/a directory above it, belongs to another user \(uid 65534\)/);
  });

  it('sticky shared directories are fine: above it (like /tmp), or as the directory itself', async () => {
    const shared = join(await tempDir(), 'shared');
    await mkdir(shared);
    await chmod(shared, 0o1777);
    const { warnings, onWarning } = collect();
    const below = fileStore({ dir: join(shared, 'cache'), onWarning });
    await below.set('lw-a', { token: 'token-a', expiresAt: Date.now() + 60_000 });
    expect((await below.get('lw-a'))?.token).toBe('token-a');
    // Used as the cache directory itself, it is used as is: never chmod-ed to 0700 under others.
    const itself = fileStore({ dir: shared, onWarning });
    await itself.set('lw-a', { token: 'token-b', expiresAt: Date.now() + 60_000 });
    expect((await itself.get('lw-a'))?.token).toBe('token-b');
    expect((await stat(shared)).mode & 0o7777).toBe(0o1777);
    expect(warnings).toEqual([]);
  });

  it('a symlinked directory of ours is used; one pointing to a directory of others is not', async () => {
    const base = await tempDir();
    const real = join(base, 'real');
    await mkdir(real, { mode: 0o700 });
    await symlink(real, join(base, 'link'));
    const ours = fileStore({ dir: join(base, 'link') });
    await ours.set('lw-a', { token: 'token-a', expiresAt: Date.now() + 60_000 });
    expect((await ours.get('lw-a'))?.token).toBe('token-a');
    expect(await readdir(real)).toEqual(['lw-a.json']);

    const open = join(base, 'open');
    await mkdir(open);
    await chmod(open, 0o777);
    await forge(join(open, 'lw-a.json'));
    await symlink(open, join(base, 'link-to-open'));
    const { warnings, onWarning } = collect();
    expect(await fileStore({ dir: join(base, 'link-to-open'), onWarning }).get('lw-a')).toBe(
      undefined,
    );
    expect(warnings).toHaveLength(1);
  });

  it('a symlink owned by another user on the way is refused (root): they could repoint it', async () => {
    needsRoot();
    const base = await tempDir();
    const real = join(base, 'real');
    await mkdir(real, { mode: 0o700 });
    await forge(join(real, 'lw-a.json'));
    const link = join(base, 'link');
    await symlink(real, link);
    await lchown(link, OTHER_UID, OTHER_UID);
    const { warnings, onWarning } = collect();
    expect(await fileStore({ dir: link, onWarning }).get('lw-a')).toBeUndefined();
    expect(warnings[0]).toMatch(/symbolic link owned by another user \(uid 65534\)/);
  });

  it('warns once per store, and by default through process.emitWarning with its own code', async () => {
    const dir = join(await tempDir(), 'cache');
    await mkdir(dir);
    await chmod(dir, 0o777);
    const emitted: { code?: string; message: string }[] = [];
    const listener = (warning: Error & { code?: string }) => {
      emitted.push({ code: warning.code, message: warning.message });
    };
    process.on('warning', listener);
    onTestFinished(() => {
      process.off('warning', listener);
    });
    const store = fileStore({ dir });
    for (let i = 0; i < 3; i++) {
      await store.get('lw-a');
      await store.set('lw-a', { token: 't', expiresAt: Date.now() + 60_000 });
      await store.withLock?.('lw-a', async () => undefined);
    }
    await new Promise((resolve) => setImmediate(resolve));
    const ours = emitted.filter((w) => w.code === UNTRUSTED_CACHE_DIR_WARNING);
    expect(ours).toHaveLength(1);
    expect(ours[0]?.message).toMatch(/tokens are not cached in files/);
  });

  it('a provider on a refused directory still works, without sharing tokens', async () => {
    const emu = await emulator();
    const dir = join(await tempDir(), 'cache');
    await mkdir(dir);
    await chmod(dir, 0o777);
    const { warnings, onWarning } = collect();
    for (let i = 0; i < 2; i++) {
      const provider = providerFor(emu, { store: fileStore({ dir, onWarning }), onWarning });
      expect(emu.isIssuedToken((await provider.getToken()).token)).toBe(true);
    }
    expect(emu.stats().exchanges).toBe(2);
    expect(await readdir(dir)).toEqual([]);
    expect(warnings).toHaveLength(2);
  });
});

describe('fileStore reads only regular files of its own, from the descriptor it checked', () => {
  it('a symlink at the token path is not followed, even to a valid file of ours', async () => {
    const base = await tempDir();
    const dir = join(base, 'cache');
    await mkdir(dir, { mode: 0o700 });
    await forge(join(base, 'elsewhere.json'));
    await symlink(join(base, 'elsewhere.json'), join(dir, 'lw-a.json'));
    expect(await fileStore({ dir }).get('lw-a')).toBeUndefined();
  });

  it('a file of another user in our directory is a miss (root)', async () => {
    needsRoot();
    const dir = join(await tempDir(), 'cache');
    await mkdir(dir, { mode: 0o700 });
    await forge(join(dir, 'lw-a.json'));
    await chown(join(dir, 'lw-a.json'), OTHER_UID, OTHER_UID);
    expect(await fileStore({ dir }).get('lw-a')).toBeUndefined();
  });

  it('a FIFO at the token path is a miss at once, not a hang', async () => {
    const dir = join(await tempDir(), 'cache');
    await mkdir(dir, { mode: 0o700 });
    execFileSync('mkfifo', ['-m', '600', join(dir, 'lw-a.json')]);
    expect(await fileStore({ dir }).get('lw-a')).toBeUndefined();
  });

  it(`a file larger than ${MAX_CACHE_FILE_BYTES} bytes is a miss, and so is writing one`, async () => {
    const dir = join(await tempDir(), 'cache');
    await mkdir(dir, { mode: 0o700 });
    const file = join(dir, 'lw-a.json');
    await writeFile(file, entry('lw-a', 'big', { padding: 'x'.repeat(MAX_CACHE_FILE_BYTES) }), {
      mode: 0o600,
    });
    const store = fileStore({ dir });
    expect(await store.get('lw-a')).toBeUndefined();
    // A sparse file of a terabyte is not read either.
    await truncate(file, 2 ** 40);
    expect(await store.get('lw-a')).toBeUndefined();
    await expect(
      Promise.resolve(
        store.set('lw-b', { token: 'x'.repeat(MAX_CACHE_FILE_BYTES), expiresAt: Date.now() + 1 }),
      ),
    ).rejects.toThrow(RangeError);
  });
});

describe('fileStore locks cannot be planted to stall getToken()', () => {
  const holderRuns = async (dir: string, lockWaitMs?: number) => {
    const store = fileStore({ dir, ...(lockWaitMs === undefined ? {} : { lockWaitMs }) });
    return store.withLock?.('lw-a', async () => 'ran');
  };

  it('a FIFO as the lock is broken, not read (reading it would block forever)', async () => {
    const dir = join(await tempDir(), 'cache');
    await mkdir(dir, { mode: 0o700 });
    execFileSync('mkfifo', ['-m', '600', join(dir, 'lw-a.json.lock')]);
    expect(await holderRuns(dir)).toBe('ran');
    expect(await readdir(dir)).toEqual([]);
  }, 10_000);

  it('a symlink as the lock is broken, not followed to a live-looking lock', async () => {
    const base = await tempDir();
    const dir = join(base, 'cache');
    await mkdir(dir, { mode: 0o700 });
    await writeFile(join(base, 'live.lock'), LIVE_LOCK, { mode: 0o600 });
    await symlink(join(base, 'live.lock'), join(dir, 'lw-a.json.lock'));
    // The default lockWaitMs (150 s) would outlast the test if the lock were honoured.
    expect(await holderRuns(dir)).toBe('ran');
    expect(await readdir(dir)).toEqual([]);
  }, 10_000);

  it('a lock of another user in our directory is broken (root)', async () => {
    needsRoot();
    const dir = join(await tempDir(), 'cache');
    await mkdir(dir, { mode: 0o700 });
    const lock = join(dir, 'lw-a.json.lock');
    await writeFile(lock, LIVE_LOCK, { mode: 0o600 });
    await chown(lock, OTHER_UID, OTHER_UID);
    expect(await holderRuns(dir)).toBe('ran');
  }, 10_000);

  it('a lock in a directory of another user is not waited for (root)', async () => {
    needsRoot();
    const dir = await othersDir();
    await writeFile(join(dir, 'lw-a.json.lock'), LIVE_LOCK, { mode: 0o600 });
    expect(await holderRuns(dir)).toBe('ran');
  }, 10_000);

  it('a lock naming our own pid that we do not hold is left from an earlier process: broken', async () => {
    const dir = join(await tempDir(), 'cache');
    await mkdir(dir, { mode: 0o700 });
    // A container restarted as the same pid and host name finds its predecessor's lock.
    await writeFile(join(dir, 'lw-a.json.lock'), `${process.pid}\n${hostname()}\nearlier\n`);
    expect(await holderRuns(dir)).toBe('ran');
  }, 10_000);
});
