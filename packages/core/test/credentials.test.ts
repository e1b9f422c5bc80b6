import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tempDir } from '@lacework-auth/test-kit/vitest';
import { describe, expect, it } from 'vitest';
import { readKeyFile } from '../src/credentials/key-file.js';
import { resolveCredentials } from '../src/credentials/resolve.js';
import { isLaceworkAuthError } from '../src/protocol/errors.js';
import { rejectionOf, thrownBy } from './support/emulator.js';

const KEY = 'ACME_0123456789ABCDEF0123456789ABCDEF0123456789AB';
const SECRET = '_0123456789abcdef0123456789abcdef';

async function home(toml?: string, mode = 0o600) {
  const dir = join(await tempDir(), 'home');
  await mkdir(dir);
  if (toml !== undefined) {
    const file = join(dir, '.lacework.toml');
    await writeFile(file, toml, { mode });
    await chmod(file, mode);
  }
  return dir;
}

const TOML = `
[default]
account = "acme"
api_key = "TOML_DEFAULT_KEY"
api_secret = "_toml_default_secret"
version = 2

[prod]
account = "acme-prod.fra.lacework.net"
subaccount = "prod-sub"
api_key = "TOML_PROD_KEY"
api_secret = "_toml_prod_secret"
version = 2
`;

describe('resolveCredentials', () => {
  it('uses explicit options first', async () => {
    const HOME = await home(TOML);
    const env = { HOME, LW_ACCOUNT: 'envacct', LW_API_KEY: 'ENV_KEY', LW_API_SECRET: '_env' };
    const result = await resolveCredentials({
      account: 'explicit',
      keyId: KEY,
      secret: SECRET,
      env,
    });
    expect(result).toEqual({
      account: 'explicit',
      baseUrl: 'https://explicit.lacework.net',
      keyId: KEY,
      secret: SECRET,
    });
  });

  it('then LW_* environment variables', async () => {
    const HOME = await home(TOML);
    const env = {
      HOME,
      LW_ACCOUNT: 'envacct',
      LW_API_KEY: 'ENV_KEY',
      LW_API_SECRET: '_env',
      LW_SUBACCOUNT: 'env-sub',
      LW_ORGANIZATION: 'true',
    };
    expect(await resolveCredentials({ env })).toEqual({
      account: 'envacct',
      baseUrl: 'https://envacct.lacework.net',
      keyId: 'ENV_KEY',
      secret: '_env',
      subAccount: 'env-sub',
      orgAccess: true,
    });
  });

  it('then the default profile of ~/.lacework.toml', async () => {
    const HOME = await home(TOML);
    expect(await resolveCredentials({ env: { HOME } })).toEqual({
      account: 'acme',
      baseUrl: 'https://acme.lacework.net',
      keyId: 'TOML_DEFAULT_KEY',
      secret: '_toml_default_secret',
    });
  });

  it('picks the profile from `profile`, else LW_PROFILE', async () => {
    const HOME = await home(TOML);
    const expected = {
      account: 'acme-prod.fra.lacework.net',
      baseUrl: 'https://acme-prod.fra.lacework.net',
      keyId: 'TOML_PROD_KEY',
      secret: '_toml_prod_secret',
      subAccount: 'prod-sub',
    };
    expect(await resolveCredentials({ env: { HOME }, profile: 'prod' })).toEqual(expected);
    expect(await resolveCredentials({ env: { HOME, LW_PROFILE: 'prod' } })).toEqual(expected);
  });

  it('fills fields one by one: env account with the profile key', async () => {
    const HOME = await home(TOML);
    const result = await resolveCredentials({ env: { HOME, LW_ACCOUNT: 'other' } });
    expect(result).toMatchObject({
      baseUrl: 'https://other.lacework.net',
      keyId: 'TOML_DEFAULT_KEY',
    });
  });

  it('a missing non-default profile is an error naming it and the file', async () => {
    const HOME = await home(TOML);
    const error = await rejectionOf(resolveCredentials({ env: { HOME }, profile: 'staging' }));
    expect(error.code).toBe('ERR_LW_MISSING_CREDENTIALS');
    expect(error.message).toMatch(/Profile "staging".*\.lacework\.toml.*\[default\], \[prod\]/);
    const noFile = await rejectionOf(
      resolveCredentials({ env: { HOME: await home(), LW_PROFILE: 'x' } }),
    );
    expect(noFile.message).toMatch(/Profile "x" \(from LW_PROFILE\).*does not exist/);
  });

  it('a missing default profile or config file just falls through', async () => {
    const HOME = await home('[other]\naccount = "x"\n');
    const error = await rejectionOf(resolveCredentials({ env: { HOME } }));
    expect(error.code).toBe('ERR_LW_MISSING_CREDENTIALS');
    expect(error.message).toMatch(/LW_API_KEY and LW_API_SECRET/);
    const none = await rejectionOf(resolveCredentials({ env: { HOME: await home() } }));
    expect(none.code).toBe('ERR_LW_MISSING_CREDENTIALS');
  });

  it('a keyId without its secret (or the reverse) names both settings', async () => {
    const HOME = await home(TOML);
    const error = await rejectionOf(resolveCredentials({ env: { HOME, LW_API_KEY: 'ENV_KEY' } }));
    expect(error.code).toBe('ERR_LW_MISSING_CREDENTIALS');
    expect(error.message).toMatch(/LW_API_KEY is set but LW_API_SECRET is not/);
    const explicit = await rejectionOf(resolveCredentials({ env: { HOME }, secret: SECRET }));
    expect(explicit.message).toMatch(/`secret` is set but `keyId` is not/);
  });

  it('a missing account says where to set it', async () => {
    const error = await rejectionOf(
      resolveCredentials({ env: { HOME: await home() }, keyId: KEY, secret: SECRET }),
    );
    expect(error.code).toBe('ERR_LW_MISSING_CREDENTIALS');
    expect(error.message).toMatch(/LW_ACCOUNT/);
  });

  it('contradictory account and baseUrl are rejected', async () => {
    const error = await rejectionOf(
      resolveCredentials({
        env: {},
        account: 'a',
        baseUrl: 'https://b.lacework.net',
        keyId: KEY,
        secret: SECRET,
      }),
    );
    expect(error.code).toBe('ERR_LW_INVALID_OPTION');
    expect(error.message).toMatch(/`account`.*`baseUrl`.*disagree/);
    const same = await resolveCredentials({
      env: {},
      account: 'a',
      baseUrl: 'https://a.lacework.net',
      keyId: KEY,
      secret: SECRET,
    });
    expect(same.baseUrl).toBe('https://a.lacework.net');
  });

  it('LW_API_SERVER_URL sets the base URL, any host, http only on loopback', async () => {
    const env = {
      LW_API_SERVER_URL: 'http://127.0.0.1:9999',
      LW_API_KEY: KEY,
      LW_API_SECRET: SECRET,
      HOME: await home(),
    };
    expect((await resolveCredentials({ env })).baseUrl).toBe('http://127.0.0.1:9999');
    const bad = await rejectionOf(
      resolveCredentials({ env: { ...env, LW_API_SERVER_URL: 'http://evil.example' } }),
    );
    expect(bad.code).toBe('ERR_LW_INVALID_BASE_URL');
    // An explicit account wins over the environment's URL.
    expect((await resolveCredentials({ env, account: 'acme' })).baseUrl).toBe(
      'https://acme.lacework.net',
    );
  });

  it('an account outside .lacework.net is refused (only baseUrl may leave it)', async () => {
    const error = await rejectionOf(
      resolveCredentials({
        env: { LW_ACCOUNT: 'evil.example.com', LW_API_KEY: KEY, LW_API_SECRET: SECRET },
      }),
    );
    expect(error.code).toBe('ERR_LW_INVALID_BASE_URL');
  });

  it('the key file is the last source', async () => {
    const dir = await tempDir();
    const keyFile = join(dir, 'key.json');
    await writeFile(
      keyFile,
      JSON.stringify({
        keyId: KEY,
        secret: SECRET,
        account: 'acme.lacework.net',
        subAccount: 'file-sub',
      }),
      { mode: 0o600 },
    );
    expect(await resolveCredentials({ env: { HOME: await home() }, keyFile })).toEqual({
      account: 'acme.lacework.net',
      baseUrl: 'https://acme.lacework.net',
      keyId: KEY,
      secret: SECRET,
      subAccount: 'file-sub',
    });
    const withEnv = await resolveCredentials({
      env: { HOME: await home(), LW_API_KEY: 'E', LW_API_SECRET: '_e' },
      keyFile,
    });
    expect(withEnv).toMatchObject({
      keyId: 'E',
      secret: '_e',
      baseUrl: 'https://acme.lacework.net',
    });
  });

  it('warns like ssh when the toml or key file is readable by others', async () => {
    const HOME = await home(TOML, 0o644);
    const warnings: string[] = [];
    const codes: string[] = [];
    await resolveCredentials({
      env: { HOME },
      onWarning: (m, code) => warnings.push(m) && codes.push(code),
    });
    expect(warnings).toHaveLength(1);
    expect(codes).toEqual(['LW_INSECURE_PERMISSIONS']);
    expect(warnings[0]).toMatch(
      /\.lacework\.toml is accessible by other users \(mode 0644\).*chmod 600/,
    );

    const keyFile = join(HOME, 'key.json');
    await writeFile(keyFile, JSON.stringify({ keyId: KEY, secret: SECRET, account: 'a' }), {
      mode: 0o640,
    });
    await chmod(keyFile, 0o640);
    readKeyFile(keyFile, { onWarning: (m) => warnings.push(m) });
    expect(warnings[1]).toMatch(/Key file .*key\.json.*mode 0640/);

    const quiet: string[] = [];
    await resolveCredentials({
      env: { HOME: await home(TOML, 0o600) },
      onWarning: (m) => quiet.push(m),
    });
    expect(quiet).toEqual([]);
  });

  it('does not read the toml when the environment has everything', async () => {
    const HOME = await home('this is [not toml');
    const env = { HOME, LW_ACCOUNT: 'a', LW_API_KEY: KEY, LW_API_SECRET: SECRET };
    expect((await resolveCredentials({ env })).keyId).toBe(KEY);
    const error = await rejectionOf(resolveCredentials({ env: { HOME } }));
    expect(error.code).toBe('ERR_LW_INVALID_OPTION');
    expect(error.message).toMatch(/not valid TOML at line 1/);
  });

  it('rejects bad values with the setting and its source', async () => {
    const env = { LW_ACCOUNT: 'a', LW_API_KEY: 'K\nX', LW_API_SECRET: SECRET };
    const error = await rejectionOf(resolveCredentials({ env }));
    expect(error.code).toBe('ERR_LW_INVALID_OPTION');
    expect(error.message).toMatch(/`keyId` \(LW_API_KEY\) contains a control character/);
    const org = await rejectionOf(
      resolveCredentials({ env: { ...env, LW_API_KEY: KEY, LW_ORGANIZATION: 'maybe' } }),
    );
    expect(org.message).toMatch(/LW_ORGANIZATION must be true or false/);
  });

  it('an explicit configFile that does not exist is an error', async () => {
    const error = await rejectionOf(
      resolveCredentials({ env: {}, configFile: '/nonexistent/x.toml' }),
    );
    expect(error.code).toBe('ERR_LW_MISSING_CREDENTIALS');
    expect(error.message).toMatch(/x\.toml.*does not exist/);
  });
});

describe('readKeyFile', () => {
  it('reads the console key JSON', async () => {
    const file = join(await tempDir(), 'k.json');
    await writeFile(
      file,
      JSON.stringify({ keyId: KEY, secret: SECRET, account: 'acme.lacework.net' }),
      { mode: 0o600 },
    );
    expect(readKeyFile(file)).toEqual({ keyId: KEY, secret: SECRET, account: 'acme.lacework.net' });
  });

  it.each([
    ['missing file', null, 'ERR_LW_MISSING_CREDENTIALS', /does not exist/],
    ['not JSON', 'keyId=1', 'ERR_LW_INVALID_OPTION', /not valid JSON/],
    ['an array', '[]', 'ERR_LW_INVALID_OPTION', /JSON object/],
    ['no secret', JSON.stringify({ keyId: KEY }), 'ERR_LW_MISSING_CREDENTIALS', /no `secret`/],
    [
      'a numeric keyId',
      JSON.stringify({ keyId: 1, secret: SECRET }),
      'ERR_LW_INVALID_OPTION',
      /`keyId`/,
    ],
  ] as const)('%s', async (_name, content, code, message) => {
    const file = join(await tempDir(), 'k.json');
    if (content !== null) await writeFile(file, content, { mode: 0o600 });
    const error = thrownBy(() => readKeyFile(file));
    expect(isLaceworkAuthError(error, code)).toBe(true);
    expect(error.message).toMatch(message);
  });
});
