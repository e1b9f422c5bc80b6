import { spawn } from 'node:child_process';
import { chmod, mkdir, readdir, readFile, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CANARY_SECRET, canaryEmulator, emulator, tempDir } from '@lacework-auth/test-kit/vitest';
import { describe, expect, it, onTestFinished } from 'vitest';
import { defaultCacheDir, fileStore, MAX_CACHE_FILE_BYTES } from '../src/stores/file.js';
import type { StoredToken } from '../src/stores/types.js';
import { providerFor } from './support/emulator.js';
import { describeTokenStore } from './support/store-suite.js';

describeTokenStore('fileStore', async () => fileStore({ dir: join(await tempDir(), 'cache') }));

describe('fileStore files', () => {
  it('creates a 0700 directory and 0600 files', async () => {
    const dir = join(await tempDir(), 'nested', 'cache');
    const store = fileStore({ dir });
    await store.set('lw-a', { token: 'token-a', expiresAt: Date.now() + 60_000 });
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    const files = await readdir(dir);
    expect(files).toEqual(['lw-a.json']);
    expect((await stat(join(dir, 'lw-a.json'))).mode & 0o777).toBe(0o600);
  });

  it('tightens an existing directory that others could read', async () => {
    const dir = join(await tempDir(), 'cache');
    await mkdir(dir, { mode: 0o755 });
    await chmod(dir, 0o755);
    await fileStore({ dir }).set('lw-a', { token: 't', expiresAt: Date.now() + 60_000 });
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
  });

  it('writes atomically: no temp files left, a reader never sees half a file', async () => {
    const dir = join(await tempDir(), 'cache');
    const store = fileStore({ dir });
    const expiresAt = Date.now() + 60_000;
    // Large enough that a non-atomic write (truncate, then write) is caught by a concurrent read,
    // within the largest file the store reads.
    const padding = 'x'.repeat(MAX_CACHE_FILE_BYTES - 1024);
    const tokenFor = (i: number) => `token-${i}-${padding}`;
    // The file exists before the race, so every read must find a whole token.
    await store.set('lw-a', { token: tokenFor(0), expiresAt });
    const reads: Promise<StoredToken | undefined | null>[] = [];
    const writes: Promise<void>[] = [];
    for (let i = 1; i <= 30; i++) {
      writes.push(Promise.resolve(store.set('lw-a', { token: tokenFor(i), expiresAt })));
      reads.push(Promise.resolve(store.get('lw-a')), Promise.resolve(store.get('lw-a')));
    }
    await Promise.all(writes);
    const results = await Promise.all(reads);
    expect(results).toHaveLength(60);
    for (const read of results) {
      expect(read, 'a read found no whole file').toBeTruthy();
      const index = Number(read?.token.split('-')[1]);
      // Compared without printing: a failure would dump a megabyte.
      expect(read?.token === tokenFor(index), 'a read returned a partial token').toBe(true);
      expect(read?.expiresAt).toBe(expiresAt);
    }
    expect(await readdir(dir)).toEqual(['lw-a.json']);
  });

  it('treats corrupt, foreign, wrong-key and too-open files as a miss', async () => {
    const dir = join(await tempDir(), 'cache');
    const store = fileStore({ dir });
    await store.set('lw-ok', { token: 'token-ok', expiresAt: Date.now() + 60_000 });
    const file = (key: string) => join(dir, `${key}.json`);
    await writeFile(file('lw-corrupt'), '{"format":"lacework-auth/tok', { mode: 0o600 });
    await writeFile(file('lw-foreign'), JSON.stringify({ token: 'x', expiresAt: 9e15 }), {
      mode: 0o600,
    });
    const other = JSON.parse(await readFile(file('lw-ok'), 'utf8'));
    await writeFile(file('lw-moved'), JSON.stringify(other), { mode: 0o600 });
    await writeFile(file('lw-open'), JSON.stringify({ ...other, key: 'lw-open' }), { mode: 0o644 });
    await chmod(file('lw-open'), 0o644);
    await mkdir(file('lw-dir'));
    for (const key of ['lw-corrupt', 'lw-foreign', 'lw-moved', 'lw-open', 'lw-dir']) {
      expect(await store.get(key), key).toBeUndefined();
    }
    // A corrupt entry is simply replaced by the next write.
    await store.set('lw-corrupt', { token: 'token-new', expiresAt: Date.now() + 60_000 });
    expect((await store.get('lw-corrupt'))?.token).toBe('token-new');
  });

  it('never stores the secret, and a provider reuses the file across instances', async () => {
    const emu = await canaryEmulator();
    const dir = join(await tempDir(), 'cache');
    const first = providerFor(emu, { store: fileStore({ dir }) });
    const { token } = await first.getToken();
    const second = providerFor(emu, { store: fileStore({ dir }) });
    expect((await second.getToken()).token).toBe(token);
    expect(emu.stats().exchanges).toBe(1);
    const names = await readdir(dir);
    expect(names).toHaveLength(1);
    const content = await readFile(join(dir, names[0] as string), 'utf8');
    expect(content).toContain(token);
    expect(content).not.toContain(CANARY_SECRET);
    expect(names[0]).not.toContain(CANARY_SECRET);
  });

  it('an unusable cache directory degrades to no cache, with a warning', async () => {
    const emu = await emulator();
    const blocker = join(await tempDir(), 'not-a-dir');
    await writeFile(blocker, 'a file where the cache directory should be');
    const warnings: string[] = [];
    const codes = new Set<string>();
    const provider = providerFor(emu, {
      store: fileStore({ dir: join(blocker, 'cache') }),
      onWarning: (message, code) => warnings.push(message) && codes.add(code),
    });
    expect(emu.isIssuedToken((await provider.getToken()).token)).toBe(true);
    expect(warnings.join('\n')).toMatch(/could not write the token store \((ENOTDIR|EEXIST)\)/);
    expect([...codes]).toEqual(['LW_TOKEN_STORE']);
  });

  it('defaults to $XDG_CACHE_HOME/lacework-auth, else ~/.cache/lacework-auth', () => {
    expect(defaultCacheDir({ XDG_CACHE_HOME: '/x/cache', HOME: '/home/u' })).toBe(
      '/x/cache/lacework-auth',
    );
    expect(defaultCacheDir({ HOME: '/home/u' })).toBe('/home/u/.cache/lacework-auth');
    // Relative XDG values are invalid per the spec and ignored.
    expect(defaultCacheDir({ XDG_CACHE_HOME: 'rel', HOME: '/home/u' })).toBe(
      '/home/u/.cache/lacework-auth',
    );
  });

  it('breaks a lock left by a dead process', async () => {
    const dir = join(await tempDir(), 'cache');
    const store = fileStore({ dir });
    await mkdir(dir, { recursive: true, mode: 0o700 });
    // PID 2^22+1 is above Linux's pid_max default; treat as certainly dead.
    const { hostname } = await import('node:os');
    await writeFile(join(dir, 'lw-a.json.lock'), `4194305\n${hostname()}\nabc\n`);
    const started = Date.now();
    const result = await store.withLock?.('lw-a', async () => 'ran');
    expect(result).toBe('ran');
    expect(Date.now() - started).toBeLessThan(2000);
    expect(await readdir(dir)).not.toContain('lw-a.json.lock');
  });

  it('keeps an old lock whose holder on this host is still alive', async () => {
    const dir = join(await tempDir(), 'cache');
    const store = fileStore({ dir, staleLockMs: 100, lockWaitMs: 400 });
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const { hostname } = await import('node:os');
    const lock = join(dir, 'lw-a.json.lock');
    // Held by another live process for far longer than staleLockMs, e.g. a slow exchange.
    const alive = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)'], {
      stdio: 'ignore',
    });
    onTestFinished(() => {
      alive.kill('SIGKILL');
    });
    const holder = `${alive.pid}\n${hostname()}\nslow-holder\n`;
    await writeFile(lock, holder);
    const old = new Date(Date.now() - 10 * 60_000);
    await utimes(lock, old, old);
    const started = Date.now();
    let lockDuringRun = '';
    const result = await store.withLock?.('lw-a', async () => {
      lockDuringRun = await readFile(lock, 'utf8');
      return 'ran';
    });
    // The waiter gave up after lockWaitMs and went ahead without the lock; it never broke it.
    expect(result).toBe('ran');
    expect(Date.now() - started).toBeGreaterThanOrEqual(350);
    expect(lockDuringRun).toBe(holder);
    expect(await readFile(lock, 'utf8')).toBe(holder);
  });

  it('breaks an old lock in an unknown format (age decides)', async () => {
    const dir = join(await tempDir(), 'cache');
    const store = fileStore({ dir, staleLockMs: 100, lockWaitMs: 5000 });
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const lock = join(dir, 'lw-a.json.lock');
    await writeFile(lock, 'garbage');
    const old = new Date(Date.now() - 10 * 60_000);
    await utimes(lock, old, old);
    const started = Date.now();
    expect(await store.withLock?.('lw-a', async () => 'ran')).toBe('ran');
    expect(Date.now() - started).toBeLessThan(2000);
    expect(await readdir(dir)).not.toContain('lw-a.json.lock');
  });

  it('serializes withLock callers on the same key', async () => {
    const dir = join(await tempDir(), 'cache');
    const store = fileStore({ dir });
    let inside = 0;
    let maxInside = 0;
    await Promise.all(
      Array.from({ length: 5 }, () =>
        store.withLock?.('lw-a', async () => {
          inside++;
          maxInside = Math.max(maxInside, inside);
          await new Promise((resolve) => setTimeout(resolve, 20));
          inside--;
        }),
      ),
    );
    expect(maxInside).toBe(1);
  });
});
