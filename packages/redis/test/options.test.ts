import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { InvalidOptionError } from '@lacework-auth/core';
import { describe, expect, it, onTestFinished } from 'vitest';
import { redisStore } from '../src/store.js';
import { assertBuilt } from './support/fleet.js';
import { redisServer } from './support/redis.js';

const PACKAGE = fileURLToPath(new URL('..', import.meta.url));

function thrown(fn: () => unknown): InvalidOptionError {
  try {
    fn();
  } catch (error) {
    return error as InvalidOptionError;
  }
  throw new Error('expected a throw');
}

describe('redisStore options', () => {
  it.each([
    [undefined, /needs an options object/],
    [{}, /needs `client`.*or `url`/],
    [{ client: {}, url: 'redis://x' }, /`client` or `url`, not both/],
    [{ url: 42 }, /`url` must be a redis:\/\/ or rediss:\/\/ URL/],
    [{ url: 'redis://x', prefix: 'a{b}' }, /`prefix`.*without \{ or \}/],
    [{ url: 'redis://x', lockTtlMs: 0 }, /`lockTtlMs` must be an integer/],
    [{ url: 'redis://x', commandTimeoutMs: 1.5 }, /`commandTimeoutMs` must be an integer/],
    [{ url: 'redis://x', onWarning: 'console' }, /`onWarning` must be a function/],
    [{ url: 'redis://x', ttl: 5 }, /unknown option `ttl`/],
    [{ client: 'redis://x' }, /`client` must be a node-redis or ioredis client/],
    [{ client: { query() {} } }, /neither a node-redis client .* nor an ioredis client/],
  ])('%j is refused clearly', (options, message) => {
    const error = thrown(() => redisStore(options as never));
    expect(error).toBeInstanceOf(InvalidOptionError);
    expect(error.code).toBe('ERR_LW_INVALID_OPTION');
    expect(error.message).toMatch(message);
  });

  it('never quotes a URL, which may hold a password', () => {
    const error = thrown(() => redisStore({ url: 'https://user:hunter2@cache.internal:6379' }));
    expect(error.message).not.toContain('hunter2');
    expect(error.message).toMatch(/redis:\/\/ or rediss:\/\//);
  });
});

describe('redisStore({ url }) picks the library that is installed', () => {
  /** An installation of the built package with only the given client libraries beside it. */
  function installWith(libraries: string[]): string {
    assertBuilt();
    const root = mkdtempSync(join(tmpdir(), 'lw-redis-install-'));
    onTestFinished(() => rmSync(root, { recursive: true, force: true }));
    const target = join(root, 'node_modules', '@lacework-auth', 'redis');
    mkdirSync(target, { recursive: true });
    // Copies, not links: a linked package would find the workspace's own node_modules.
    cpSync(join(PACKAGE, 'package.json'), join(target, 'package.json'));
    cpSync(join(PACKAGE, 'dist'), join(target, 'dist'), { recursive: true });
    symlinkSync(
      realpathSync(join(PACKAGE, '..', 'core')),
      join(root, 'node_modules', '@lacework-auth', 'core'),
    );
    for (const name of libraries) {
      symlinkSync(
        realpathSync(join(PACKAGE, 'node_modules', name)),
        join(root, 'node_modules', name),
      );
    }
    return root;
  }

  const script = (url: string) => `
    import { redisStore } from '@lacework-auth/redis';
    try {
      const store = redisStore({ url: ${JSON.stringify(url)}, onWarning: (m) => console.log('warning', m) });
      await store.set('lw-k', { token: 'token-k', expiresAt: Date.now() + 60000 });
      console.log('read', (await store.get('lw-k'))?.token);
      await store.close();
    } catch (error) {
      console.log(error.code, error.message);
    }`;

  async function run(root: string, url: string) {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--input-type=module', '-e', script(url)],
      // Only PATH: npx and pnpm put their module folders in NODE_PATH, which would find both.
      { cwd: root, timeout: 20_000, env: { PATH: process.env.PATH } },
    );
    return stdout;
  }

  it('neither redis nor ioredis: a clear error naming the package to install', async () => {
    const output = await run(installWith([]), 'redis://127.0.0.1:1');
    expect(output).toMatch(
      /^ERR_LW_INVALID_OPTION .*install `redis` \(node-redis 5\+\).*`ioredis`/,
    );
  });

  it('only ioredis: the store connects with it (redis is never imported)', async () => {
    const server = await redisServer();
    const output = await run(installWith(['ioredis']), server.url);
    expect(output).toBe('read token-k\n');
  });

  it('only redis: the store connects with it', async () => {
    const server = await redisServer();
    const output = await run(installWith(['redis']), server.url);
    expect(output).toBe('read token-k\n');
  });
});
