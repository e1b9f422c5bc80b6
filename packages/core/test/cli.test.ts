import { existsSync } from 'node:fs';
import { chmod, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CANARY_SECRET, type OnFinished } from '@lacework-auth/test-kit/vitest';
import { beforeAll, describe, expect, it } from 'vitest';
import { cliHome } from './support/cli.js';
import { routeRequests } from './support/emulator.js';
import { assertBuilt, DIST_CLI, runNode } from './support/spawn.js';

async function setup(onFinished: OnFinished, options: { canary?: boolean } = {}) {
  const { emu, key, home, env } = await cliHome(onFinished, options);
  const cli = (args: string[], extra: Record<string, string> = {}) =>
    runNode([DIST_CLI, ...args], { ...env, ...extra });
  return { emu, key, home, env, cli };
}

// Each test has its own emulator and HOME, so they run side by side (spawning Node is slow).
describe.concurrent('lacework-token CLI', () => {
  beforeAll(assertBuilt);

  it('prints a bearer token and reuses the 0600 cache on the next run', async ({
    onTestFinished,
  }) => {
    const { emu, home, cli } = await setup(onTestFinished);
    const first = await cli([]);
    expect(first).toMatchObject({ code: 0, stderr: '' });
    const token = first.stdout.trim();
    expect(first.stdout).toBe(`${token}\n`);
    expect(emu.isIssuedToken(token)).toBe(true);

    const second = await cli([]);
    expect(second.stdout.trim()).toBe(token);
    expect(emu.stats().exchanges).toBe(1);

    const dir = join(home, 'xdg-cache', 'lacework-auth');
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    const [file] = await readdir(dir);
    expect((await stat(join(dir, file as string))).mode & 0o777).toBe(0o600);
  });

  it('--json prints {token, expiresAt}; --expiry sets the lifetime', async ({ onTestFinished }) => {
    const { emu, cli } = await setup(onTestFinished);
    const result = await cli(['--json', '--expiry', '120']);
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout) as { token: string; expiresAt: string };
    expect(Object.keys(json).sort()).toEqual(['expiresAt', 'token']);
    const lifetime = Date.parse(json.expiresAt) - Date.now();
    expect(lifetime).toBeGreaterThan(100_000);
    expect(lifetime).toBeLessThanOrEqual(120_000);
    expect(routeRequests(emu, 'token')[0]?.body).toMatchObject({ expiryTime: 120 });
  });

  it('--nocache, LW_NOCACHE and the deprecated --no-cache skip the cache', async ({
    onTestFinished,
  }) => {
    const { emu, home, cli } = await setup(onTestFinished);
    await cli(['--nocache']);
    await cli([], { LW_NOCACHE: '1' });
    const deprecated = await cli(['--no-cache']);
    expect(deprecated.code).toBe(0);
    expect(deprecated.stderr).toBe(
      "lacework-token: warning: --no-cache is deprecated; use --nocache (the Lacework CLI's name).\n",
    );
    expect(emu.stats().exchanges).toBe(3);
    expect(existsSync(join(home, 'xdg-cache'))).toBe(false);
  });

  it('--profile reads ~/.lacework.toml and --key-file reads a console key', async ({
    onTestFinished,
  }) => {
    const { emu, key, home, cli } = await setup(onTestFinished);
    await writeFile(
      join(home, '.lacework.toml'),
      `[ci]\napi_key = "${key.keyId}"\napi_secret = "${key.secret}"\n`,
      { mode: 0o600 },
    );
    const viaProfile = await cli(['--profile', 'ci', '--nocache'], {
      LW_API_KEY: '',
      LW_API_SECRET: '',
    });
    expect(viaProfile).toMatchObject({ code: 0, stderr: '' });
    const keyFile = join(home, 'key.json');
    await writeFile(keyFile, JSON.stringify({ keyId: key.keyId, secret: key.secret }), {
      mode: 0o644,
    });
    await chmod(keyFile, 0o644);
    const viaFile = await cli(['--key-file', keyFile, '--nocache'], {
      LW_API_KEY: '',
      LW_API_SECRET: '',
    });
    expect(viaFile.code).toBe(0);
    expect(viaFile.stderr).toMatch(/warning: Key file .*accessible by other users.*chmod 600/);
    expect(emu.stats().exchanges).toBe(2);
  });

  it('usage errors exit 2 without sending anything', async ({ onTestFinished }) => {
    const { emu, cli } = await setup(onTestFinished);
    const cases = [
      ['--expiry', '0'],
      ['--expiry', 'abc'],
      ['--expiry', '86401'],
      ['--bogus'],
      ['extra'],
      ['--account', 'http://evil.example'],
    ];
    const results = await Promise.all(cases.map((args) => cli(args)));
    for (const [index, result] of results.entries()) {
      expect(result.code, cases[index]?.join(' ')).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(/^lacework-token: /);
    }
    expect(emu.stats().requests).toBe(0);
  });

  it('--help and --version exit 0', async ({ onTestFinished }) => {
    const { cli } = await setup(onTestFinished);
    const [help, version] = await Promise.all([cli(['--help']), cli(['--version'])]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Usage: lacework-token/);
    expect(help.stdout).toMatch(/--nocache/);
    expect(version).toMatchObject({ code: 0, stdout: expect.stringMatching(/^\d+\.\d+\.\d+/) });
  });

  it('a rejected key exits 4 with the reason on stderr and never prints the secret', async ({
    onTestFinished,
  }) => {
    const { cli } = await setup(onTestFinished, { canary: true });
    const result = await cli(['--nocache'], { LW_API_SECRET: `${CANARY_SECRET}0` });
    expect(result.code).toBe(4);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/rejected the API key .*ERR_LW_KEY_REJECTED/);
    expect(result.stderr + result.stdout).not.toContain(CANARY_SECRET);
  });

  it('missing credentials exit 3 and say where to set them', async ({ onTestFinished }) => {
    const { cli } = await setup(onTestFinished);
    const result = await cli([], { LW_API_KEY: '', LW_API_SECRET: '' });
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/LW_API_KEY and LW_API_SECRET.*ERR_LW_MISSING_CREDENTIALS/);
  });
});
