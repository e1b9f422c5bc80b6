import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../src/cli-run.js';

// The same words, credential chain and exit codes as lacework-token and lacework-api.

const SECRET = '_CANARY0lang0secret0never0printed';
const TOML_SECRET = '_CANARY0toml0secret0never0printed';

let home: string;
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'lw-postman-lang-'));
  writeFileSync(
    join(home, '.lacework.toml'),
    [
      '[default]',
      'account = "tomldefault"',
      'api_key = "TOMLDEFAULT_0011"',
      `api_secret = "${TOML_SECRET}"`,
      '',
      '[prod]',
      'account = "tomlprod"',
      'subaccount = "prod-sub"',
      'api_key = "TOMLPROD_0011"',
      `api_secret = "${TOML_SECRET}"`,
      '',
    ].join('\n'),
    { mode: 0o600 },
  );
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

async function cli(argv: string[], env: Record<string, string> = {}) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    env: { HOME: home, ...env },
  });
  const values = () =>
    Object.fromEntries(
      (JSON.parse(stdout) as { values: { key: string; value: string }[] }).values.map((v) => [
        v.key,
        v.value,
      ]),
    );
  return { code, stdout, stderr, values };
}

describe('lacework-postman environment reads the Lacework CLI chain', () => {
  it('the default profile of ~/.lacework.toml when nothing else is set', async () => {
    const result = await cli(['environment']);
    expect(result.code).toBe(0);
    expect(result.values()).toMatchObject({
      lw_base_url: 'https://tomldefault.lacework.net',
      lw_key_id: 'TOMLDEFAULT_0011',
      lw_secret: '',
    });
  });

  it('--profile, else LW_PROFILE, chooses the profile; --include-secret takes its secret', async () => {
    const flag = await cli(['environment', '--profile', 'prod', '--include-secret'], {
      LW_PROFILE: 'default',
    });
    expect(flag.code).toBe(0);
    expect(flag.values()).toMatchObject({
      lw_base_url: 'https://tomlprod.lacework.net',
      lw_key_id: 'TOMLPROD_0011',
      lw_secret: TOML_SECRET,
      lw_sub_account: 'prod-sub',
    });
    expect(flag.stderr).not.toContain(TOML_SECRET);
    const env = await cli(['environment'], { LW_PROFILE: 'prod' });
    expect(env.values()).toMatchObject({ lw_key_id: 'TOMLPROD_0011' });
    const missing = await cli(['environment', '--profile', 'staging']);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toMatch(/Profile "staging" \(from --profile\) is not in .*\[default\]/);
  });

  it('flags beat --key-file, --key-file beats LW_*, LW_* beats the profile', async () => {
    const keyFile = join(home, 'key.json');
    writeFileSync(
      keyFile,
      JSON.stringify({ keyId: 'FILE_0011', secret: SECRET, account: 'fileacct' }),
      { mode: 0o600 },
    );
    const env = {
      LW_ACCOUNT: 'envacct',
      LW_API_KEY: 'ENV_0011',
      LW_API_SECRET: '_envsecret0000000',
    };
    const fromFile = await cli(['environment', '--key-file', keyFile], env);
    expect(fromFile.values()).toMatchObject({
      lw_base_url: 'https://fileacct.lacework.net',
      lw_key_id: 'FILE_0011',
    });
    const flagged = await cli(['environment', '--key-file', keyFile, '--account', 'flagacct'], env);
    expect(flagged.values()).toMatchObject({
      lw_base_url: 'https://flagacct.lacework.net',
      lw_key_id: 'FILE_0011',
    });
    const fromEnv = await cli(['environment', '--profile', 'prod'], env);
    expect(fromEnv.values()).toMatchObject({
      lw_base_url: 'https://envacct.lacework.net',
      lw_key_id: 'ENV_0011',
      lw_sub_account: 'prod-sub',
    });
  });
});

describe('lacework-postman flags', () => {
  it('suggests the flag an unknown one was probably meant as (exit 2)', async () => {
    const account = await cli(['environment', '--acount', 'acme']);
    expect(account.code).toBe(2);
    expect(account.stderr).toContain("Unknown option '--acount'. Did you mean --account?");
    const sub = await cli(['environment', '--sub', 'x']);
    expect(sub.stderr).toContain('Did you mean --subaccount?');
    const scope = await cli(['script', '--tokenscope', 'globals']);
    expect(scope.stderr).toContain('Did you mean --token-scope?');
    const none = await cli(['script', '--zzzzzz']);
    expect(none.stderr).toContain("Unknown option '--zzzzzz'.\n");
  });

  it('takes the deprecated names with a warning, and refuses both names at once', async () => {
    const old = await cli(['environment', '--sub-account', 'dev', '--expiry-time', '600'], {
      LW_ACCOUNT: 'acme',
    });
    expect(old.code).toBe(0);
    expect(old.values()).toMatchObject({ lw_sub_account: 'dev', lw_expiry_time: '600' });
    expect(old.stderr).toContain('warning: --sub-account is deprecated; use --subaccount.');
    expect(old.stderr).toContain('warning: --expiry-time is deprecated; use --expiry.');
    const script = await cli(['script', '--store', 'globals']);
    expect(script.code).toBe(0);
    expect(script.stdout).toContain('"store":"globals"');
    expect(script.stderr).toContain('--store is deprecated; use --token-scope.');
    const both = await cli(['script', '--store', 'globals', '--token-scope', 'environment']);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('--store is the deprecated name of --token-scope');
  });

  it('exit 2 for a bad flag value, 3 for a bad LW_* value, each named as typed', async () => {
    const flag = await cli(['environment', '--account', 'bad host!']);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain('--account');
    const env = await cli(['environment'], { LW_ACCOUNT: 'bad host!' });
    expect(env.code).toBe(3);
    expect(env.stderr).toContain('LW_ACCOUNT');
    const replace = await cli(['inject', join(home, 'missing.json')]);
    expect(replace.code).toBe(1);
  });

  it('says how to fill what is still empty, in CLI words', async () => {
    const result = await cli(['environment'], { HOME: join(home, 'nowhere') });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(
      'Still empty: lw_base_url (pass --account, set LW_ACCOUNT, or use a profile); lw_key_id (pass --key-file or --key-id, set LW_API_KEY, or use a profile).',
    );
  });
});
