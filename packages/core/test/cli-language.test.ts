import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CANARY_SECRET, type OnFinished } from '@lacework-auth/test-kit/vitest';
import { describe, expect, it } from 'vitest';
import { main as api } from '../src/cli/lacework-api.js';
import { main as token } from '../src/cli/lacework-token.js';
import { cliHome } from './support/cli.js';

// lacework-token and lacework-api, run in-process against the emulator: messages in CLI words,
// flags over the environment, exit codes, --explain, --clear-cache, --json errors.

type Main = typeof token;

async function setup(onFinished: OnFinished, options: { canary?: boolean } = {}) {
  const { emu, key, home, env } = await cliHome(onFinished, {
    ...options,
    prefix: 'lw-cli-words-',
  });
  const run = async (main: Main, args: string[], extra: Record<string, string> = {}) => {
    let stdout = '';
    let stderr = '';
    const code = await main(args, {
      stdout: (text) => {
        stdout += text;
      },
      stderr: (text) => {
        stderr += text;
      },
      env: { ...env, ...extra },
    });
    return { code, stdout, stderr };
  };
  return { emu, key, home, env, run };
}

describe.concurrent.each([
  ['lacework-token', token, [] as string[]],
  ['lacework-api', api as Main, ['get', 'UserProfile']],
])('%s', (_name, main, command) => {
  it('--key-file wins over LW_API_KEY / LW_API_SECRET; --account over LW_ACCOUNT', async ({
    onTestFinished,
  }) => {
    const { emu, key, home, run } = await setup(onTestFinished);
    const file = join(home, 'key.json');
    await writeFile(file, JSON.stringify({ keyId: key.keyId, secret: key.secret }), {
      mode: 0o600,
    });
    // The environment's key is wrong: used, it would be refused (exit 4).
    const wrong = { LW_API_KEY: 'ENV_0011223344556677', LW_API_SECRET: '_envsecret00000000000' };
    const result = await run(main, [...command, '--key-file', file], wrong);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(emu.stats().exchanges).toBe(1);
    const explained = await run(main, ['--explain', '--key-file', file], wrong);
    expect(explained.code).toBe(0);
    expect(explained.stdout).toMatch(/^key id: .* from `keyId` in key file .*\(--key-file\)$/m);
    expect(explained.stdout).toMatch(/^secret: +\(set, not shown\) +from `secret` in key file/m);
    expect(explained.stdout).not.toContain(key.secret);

    const account = await run(main, ['--explain', '--account', 'flagged'], {
      LW_ACCOUNT: 'envacct',
      LW_API_SERVER_URL: '',
    });
    expect(account.stdout).toMatch(/^account: +flagged +from --account$/m);
    expect(account.stdout).toMatch(/^base URL: +https:\/\/flagged\.lacework\.net$/m);
  });

  it('exit 2 for wrong usage only, named as typed', async ({ onTestFinished }) => {
    const { emu, run } = await setup(onTestFinished);
    for (const args of [
      ['--expiry', '0'],
      ['--timeout', 'soon'],
      ['--account', 'not a host'],
      ['--bogus'],
    ]) {
      const result = await run(main, [...command, ...args]);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toContain(args[0] === '--bogus' ? "unknown option '--bogus'" : args[0]);
      expect(result.stderr).toMatch(/Try 'lacework-(token|api) --help'\.\n$/);
    }
    expect(emu.stats().exchanges).toBe(0);
  });

  it('exit 3 for configuration, 4 for a refused key, 5 for the network', async ({
    onTestFinished,
  }) => {
    const { home, run } = await setup(onTestFinished, { canary: true });
    const badAccount = await run(main, command, {
      LW_ACCOUNT: 'not a host',
      LW_API_SERVER_URL: '',
    });
    expect(badAccount.code).toBe(3);
    expect(badAccount.stderr).toContain('LW_ACCOUNT');
    const noFile = await run(main, [...command, '--key-file', join(home, 'nope.json')]);
    expect(noFile.code).toBe(3);
    expect(noFile.stderr).toContain('(--key-file) does not exist');
    const noKey = await run(main, command, { LW_API_KEY: '', LW_API_SECRET: '' });
    expect(noKey.code).toBe(3);
    expect(noKey.stderr).toMatch(/Set LW_API_KEY and LW_API_SECRET, .* or pass --key-file/);

    const refused = await run(main, [...command, '--nocache'], {
      LW_API_SECRET: `${CANARY_SECRET}0`,
    });
    expect(refused.code).toBe(4);
    expect(refused.stdout + refused.stderr).not.toContain(CANARY_SECRET);
    // Port 9 (discard): nothing listens there on a test machine, so the connection is refused.
    const network = await run(main, [...command, '--nocache', '--timeout', '5'], {
      LW_API_SERVER_URL: 'http://127.0.0.1:9',
    });
    expect(network.code).toBe(5);
    expect(network.stderr).toMatch(/\[ERR_LW_NETWORK\]/);
  });

  it('messages use the command line’s words, never library option names', async ({
    onTestFinished,
  }) => {
    const { emu, home, run } = await setup(onTestFinished);
    emu.inject({ route: 'token', delayMs: 3000 });
    const slow = await run(main, [...command, '--nocache', '--timeout', '1']);
    expect(slow.code).toBe(5);
    expect(slow.stderr).toContain('raise --timeout');
    await writeFile(join(home, '.lacework.toml'), '[default]\naccount = "acme"\n');
    const missing = await run(main, [...command, '--profile', 'prod']);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain('(from --profile)');
    const noFile = await run(main, [...command, '--key-file', join(home, 'nope.json')]);
    for (const text of [slow.stderr, missing.stderr, noFile.stderr]) {
      expect(text).not.toMatch(
        /`(timeout|keyFile|expiryTime|profile)`|profile` option|replaceAuth/,
      );
    }
  });

  it('an unknown flag is named with the flag it probably meant', async ({ onTestFinished }) => {
    const { emu, run } = await setup(onTestFinished);
    for (const [typo, meant] of [
      ['--acount', '--account'],
      ['--subacount', '--subaccount'],
      ['--key-fil', '--key-file'],
      ['--expiry-time', '--expiry'],
      ['--explian', '--explain'],
    ] as const) {
      const result = await run(main, [...command, typo, 'x']);
      expect(result.code, typo).toBe(2);
      expect(result.stderr).toContain(`unknown option '${typo}'. Did you mean ${meant}?`);
    }
    const far = await run(main, [...command, '--zzzzzz']);
    expect(far.stderr).toContain("unknown option '--zzzzzz'.\n");
    expect(emu.stats().exchanges).toBe(0);
  });

  it('--explain shows what was found even when it cannot work, then why (exit 3)', async ({
    onTestFinished,
  }) => {
    const { run } = await setup(onTestFinished);
    const result = await run(main, ['--explain'], { LW_API_SECRET: '' });
    expect(result.code).toBe(3);
    expect(result.stdout).toMatch(/^key id: .* from LW_API_KEY$/m);
    expect(result.stdout).toMatch(/^secret: +\(none\) +from nowhere$/m);
    expect(result.stderr).toMatch(
      /these settings cannot be used: LW_API_KEY is set but the secret that goes with it is not/,
    );
  });

  it('--json prints errors as JSON too', async ({ onTestFinished }) => {
    const { run } = await setup(onTestFinished);
    const usage = await run(main, [...command, '--json', '--expiry', 'x']);
    expect(usage.code).toBe(2);
    expect(JSON.parse(usage.stderr)).toEqual({
      error: { code: 'ERR_USAGE', message: expect.stringContaining('--expiry must be') },
    });
    const config = await run(main, [...command, '--json'], { LW_API_KEY: '', LW_API_SECRET: '' });
    expect(config.code).toBe(3);
    expect(JSON.parse(config.stderr).error.code).toBe('ERR_LW_MISSING_CREDENTIALS');
  });

  it('--explain --json never holds the secret; --clear-cache makes the next run exchange again', async ({
    onTestFinished,
  }) => {
    const { emu, key, run } = await setup(onTestFinished);
    const explained = await run(main, ['--explain', '--json']);
    expect(JSON.parse(explained.stdout)).toMatchObject({
      profile: { value: 'default', from: 'default' },
      baseUrl: emu.url,
      keyId: { from: 'LW_API_KEY' },
      secret: { set: true, from: 'LW_API_SECRET' },
    });
    expect(explained.stdout).not.toContain(key.secret);
    expect((await run(main, command)).code).toBe(0);
    expect((await run(main, command)).code).toBe(0);
    expect(emu.stats().exchanges).toBe(1);
    const cleared = await run(main, ['--clear-cache']);
    expect(cleared).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/^Removed the cached token of key/),
    });
    expect((await run(main, command)).code).toBe(0);
    expect(emu.stats().exchanges).toBe(2);
    // With --json it answers as JSON; with nothing cached it says so instead of "Removed".
    const json = await run(main, ['--clear-cache', '--json']);
    expect(JSON.parse(json.stdout)).toMatchObject({
      removed: true,
      tokenCache: expect.any(String),
    });
    const again = await run(main, ['--clear-cache']);
    expect(again).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/^No cached token of key .*: nothing to clear\.$/m),
    });
    expect(JSON.parse((await run(main, ['--clear-cache', '--json'])).stdout)).toMatchObject({
      removed: false,
    });
  });

  it('--clear-cache deletes a cached token the cache no longer hands out (expired)', async ({
    onTestFinished,
  }) => {
    const { run } = await setup(onTestFinished);
    expect((await run(main, command)).code).toBe(0);
    const dir = JSON.parse((await run(main, ['--explain', '--json'])).stdout).tokenCache as string;
    const cached = (await readdir(dir)).filter((name) => name.endsWith('.json'));
    expect(cached).toHaveLength(1);
    const file = join(dir, cached[0] as string);
    const entry = JSON.parse(await readFile(file, 'utf8'));
    await writeFile(file, JSON.stringify({ ...entry, expiresAt: Date.now() - 1000 }), {
      mode: 0o600,
    });
    expect((await run(main, ['--clear-cache'])).code).toBe(0);
    expect((await readdir(dir)).filter((name) => name.endsWith('.json'))).toEqual([]);
  });

  it('--explain --json does not repeat a secret pasted as the account or sub-account', async ({
    onTestFinished,
  }) => {
    const { key, run } = await setup(onTestFinished);
    const pasted: Record<string, string>[] = [
      { LW_ACCOUNT: key.secret, LW_API_SERVER_URL: '' },
      { LW_ACCOUNT: `acme ${key.secret}`, LW_API_SERVER_URL: '' },
      { LW_SUBACCOUNT: key.secret },
      { LW_SUBACCOUNT: `x${key.secret}` },
    ];
    for (const env of pasted) {
      const text = await run(main, ['--explain'], env);
      const json = await run(main, ['--explain', '--json'], env);
      for (const result of [text, json]) {
        expect(result.stdout + result.stderr, Object.keys(env)[0]).not.toContain(
          key.secret.slice(1),
        );
      }
      const shown = JSON.parse(json.stdout) as Record<string, { value: unknown; from: string }>;
      const field = 'LW_ACCOUNT' in env ? 'account' : 'subAccount';
      expect(shown[field]?.from).toBe(Object.keys(env)[0]);
      expect(shown[field]?.value).toMatch(/not shown/);
    }
    // Plain values are still shown as they are.
    const plain = await run(main, ['--explain', '--json'], { LW_SUBACCOUNT: 'acme-dev' });
    expect(JSON.parse(plain.stdout).subAccount).toEqual({
      value: 'acme-dev',
      from: 'LW_SUBACCOUNT',
    });
  });

  it('--explain names a base URL given as such once', async ({ onTestFinished }) => {
    const { emu, env, run } = await setup(onTestFinished);
    expect(env.LW_API_SERVER_URL).toBe(emu.url);
    const explained = await run(main, ['--explain']);
    expect(explained.code).toBe(0);
    expect(explained.stdout.match(/^base URL:.*$/gm)).toEqual([
      expect.stringMatching(/ from LW_API_SERVER_URL$/),
    ]);
  });
});

describe('lacework-token --subaccount', () => {
  it('sends Account-Name on the exchange, as lacework-api does', async ({ onTestFinished }) => {
    const { emu, key, run } = await setup(onTestFinished);
    const sub = key.subAccounts[0] as string;
    const result = await run(token, ['--subaccount', sub, '--nocache']);
    expect(result.code).toBe(0);
    const exchange = emu.requests().find((entry) => entry.route === 'token');
    expect(exchange?.headers?.['account-name']).toBe(sub);
  });
});
