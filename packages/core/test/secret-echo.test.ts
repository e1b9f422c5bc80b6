import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { emulator, renderings, tempDir } from '@lacework-auth/test-kit/vitest';
import { beforeAll, describe, expect, it } from 'vitest';
import { createLaceworkClient } from '../src/client/client.js';
import { readKeyFile } from '../src/credentials/key-file.js';
import { resolveCredentials } from '../src/credentials/resolve.js';
import { resolveBaseUrl } from '../src/protocol/base-url.js';
import { isLaceworkAuthError } from '../src/protocol/errors.js';
import { createTokenProvider } from '../src/provider/token-provider.js';
import { fileStore } from '../src/stores/file.js';
import { providerFor, rejectionOf, thrownBy } from './support/emulator.js';
import { assertBuilt, DIST_CLI, runNode } from './support/spawn.js';

// A secret in Lacework's shape, pasted into the wrong setting with characters around it.
const SECRET = '_e3b0c44298fc1c149afbf4c8996fb924';
const KEY_ID = 'ACME_0123456789ABCDEF0123456789ABCDEF0123456789AB';

/** Fails when `text` holds the secret or any 8-character piece of it, in any case. */
function expectNoPiece(text: string, what: string): void {
  const lower = text.toLowerCase();
  for (let i = 0; i + 8 <= SECRET.length; i++) {
    const piece = SECRET.slice(i, i + 8).toLowerCase();
    expect(lower.includes(piece), `${what} echoes "${piece}"`).toBe(false);
  }
}

/** Message, stack, util.inspect, JSON and cause chain of `error`. */
function expectNotEchoed(error: unknown, what: string): void {
  expect(error, what).toBeInstanceOf(Error);
  expectNoPiece(renderings(error), what);
}

// Ways of getting a secret into a value around it.
const JUNK = [
  (s: string) => `acme ${s}`,
  (s: string) => `x${s}.lacework.net`,
  (s: string) => `http://host/${s}`,
  (s: string) => `http://host.example/${s}`,
  (s: string) => `https://x${s}.example`,
  (s: string) => `https://acme.lacework.net:${s}`,
  (s: string) => `${s}x`,
  (s: string) => `x${s}`,
  (s: string) => `"${s}"`,
  (s: string) => `acme\t${s}`,
  (s: string) => `${s.slice(1)}`,
  (s: string) => `acme.${s.slice(1)}.lacework.net`,
  (s: string) => `https://acme.lacework.net\\${s}`,
  (s: string) => `ftp${s.slice(1)}://acme.lacework.net`,
];
const VALUES = JUNK.map((wrap) => wrap(SECRET));

describe('a secret pasted with extra characters into the wrong setting is never echoed', () => {
  it.each(VALUES)('account / baseUrl / LW_ACCOUNT / LW_API_SERVER_URL = %j', async (value) => {
    const key = { keyId: KEY_ID, secret: 'x'.repeat(20) };
    const attempts = [
      resolveCredentials({ ...key, account: value, env: {} }),
      resolveCredentials({ ...key, baseUrl: value, env: {} }),
      resolveCredentials({
        env: { LW_API_KEY: KEY_ID, LW_API_SECRET: 'y'.repeat(20), LW_ACCOUNT: value },
      }),
      resolveCredentials({
        env: { LW_API_KEY: KEY_ID, LW_API_SECRET: 'y'.repeat(20), LW_API_SERVER_URL: value },
      }),
    ];
    for (const [index, attempt] of attempts.entries()) {
      const outcome = await attempt.then(
        (resolved) => resolved,
        (error: unknown) => error,
      );
      if (outcome instanceof Error || !outcome || typeof outcome !== 'object') {
        expect(isLaceworkAuthError(outcome)).toBe(true);
        expectNotEchoed(outcome, `attempt ${index}`);
      } else {
        // Accepted (a path is dropped): the secret is not part of where requests go.
        expectNoPiece(JSON.stringify((outcome as { baseUrl: string }).baseUrl), `attempt ${index}`);
      }
    }
  });

  it.each(VALUES)('resolveBaseUrl(%j) throws without it, or returns a URL without it', (value) => {
    for (const allowAnyHost of [false, true]) {
      try {
        expectNoPiece(resolveBaseUrl(value, { allowAnyHost }), 'result');
      } catch (error) {
        expectNotEchoed(error, `allowAnyHost ${allowAnyHost}`);
      }
    }
  });

  it('the message names the setting and says what is wrong, with the length instead', async () => {
    const error = await rejectionOf(
      resolveCredentials({
        keyId: KEY_ID,
        secret: 'x'.repeat(20),
        account: `acme ${SECRET}`,
        env: {},
      }),
    );
    expect(error.message).toBe(
      `\`account\` (a value of ${SECRET.length + 5} characters, not shown) contains spaces or control characters.`,
    );
    // A short, plain value is still quoted: it helps and cannot be a secret.
    const plain = thrownBy(() => resolveBaseUrl('acme.example.com', { setting: '`account`' }));
    expect(plain.message).toMatch(/^`account` "acme\.example\.com" is not a \.lacework\.net host/);
  });

  it.each(VALUES)('subAccount, LW_SUBACCOUNT and LW_ORGANIZATION = %j', async (value) => {
    const emu = await emulator();
    // A sub-account the key may not use: the 403 message must not quote it.
    const rejected = await Promise.resolve()
      .then(() => providerFor(emu, { subAccount: value.replace(/\s/g, '') }).getToken())
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    if (rejected !== undefined) expectNotEchoed(rejected, 'subAccount');
    const organization = await rejectionOf(
      resolveCredentials({
        env: {
          LW_API_KEY: KEY_ID,
          LW_API_SECRET: 'y'.repeat(20),
          LW_ACCOUNT: 'acme',
          LW_ORGANIZATION: value,
        },
      }),
    );
    expect(organization.code).toBe('ERR_LW_INVALID_OPTION');
    expectNotEchoed(organization, 'LW_ORGANIZATION');
  });

  it.each([`x${SECRET}`, `ACME ${SECRET}`, `${SECRET.slice(1)}`, `ACME_KEY${SECRET}`])(
    'keyId %j in the rejection of the key',
    async (keyId) => {
      const emu = await emulator();
      const error = await rejectionOf(
        providerFor(emu, { keyId, secret: 'z'.repeat(33) }).getToken(),
      );
      expect(error.code).toBe('ERR_LW_KEY_REJECTED');
      expectNotEchoed(error, 'keyId');
      expect(error.message).toMatch(/rejected the API key `\(hidden: \d+ characters/);
    },
  );

  it.each(VALUES)(
    'profile / LW_PROFILE = %j, missing from the file or with no file',
    async (value) => {
      const home = await tempDir();
      const file = join(home, 'lacework.toml');
      await writeFile(file, '[default]\naccount = "acme"\n', { mode: 0o600 });
      for (const options of [
        { profile: value, configFile: file },
        { env: { HOME: home, LW_PROFILE: value } },
        { profile: value, env: { HOME: join(home, 'nowhere') } },
      ]) {
        const error = await rejectionOf(resolveCredentials({ env: {}, ...options }));
        expectNotEchoed(error, JSON.stringify(Object.keys(options)));
      }
    },
  );

  it('a TOML table named like a secret is counted, not listed', async () => {
    const home = await tempDir();
    const file = join(home, 'lacework.toml');
    await writeFile(
      file,
      `[default]\naccount = "acme"\n\n["x${SECRET}"]\napi_key = "K"\n\n["acme ${SECRET}"]\nx = 1\n`,
      { mode: 0o600 },
    );
    const error = await rejectionOf(
      resolveCredentials({ profile: 'prod', configFile: file, env: {} }),
    );
    expect(error.message).toMatch(/it has \[default\] and 2 others not shown/);
    expectNotEchoed(error, 'table names');
  });

  it('a setting in a profile named like a secret: the profile is described, not named', async () => {
    const home = await tempDir();
    const file = join(home, 'lacework.toml');
    const profile = `x${SECRET}`;
    await writeFile(
      file,
      `["${profile}"]\naccount = "acme ${SECRET}"\napi_key = "${KEY_ID}"\napi_secret = "${'y'.repeat(20)}"\n`,
      {
        mode: 0o600,
      },
    );
    const error = await rejectionOf(resolveCredentials({ profile, configFile: file, env: {} }));
    expect(error.message).toMatch(
      /^`account` in profile \(a value of \d+ characters, not shown\) of /,
    );
    expectNotEchoed(error, 'profile account');
  });

  it.each(VALUES)('configFile / keyFile path %j', async (value) => {
    const dir = await tempDir();
    const path = join(dir, value.replace(/[/\\]/g, '-'));
    const errors = [
      await rejectionOf(resolveCredentials({ configFile: path, env: {} })),
      thrownBy(() => readKeyFile(path)),
      await rejectionOf(resolveCredentials({ keyFile: path, env: {} })),
    ];
    await mkdir(dir, { recursive: true });
    await writeFile(path, 'not json', { mode: 0o600 });
    errors.push(thrownBy(() => readKeyFile(path)));
    for (const [index, error] of errors.entries()) expectNotEchoed(error, `error ${index}`);
  });

  it.each([SECRET, `x${SECRET}`, `acme ${SECRET}`, `--${SECRET}`])(
    'an unknown option named %j, anywhere options are checked',
    async (name) => {
      // Valid otherwise: the unknown option is the only thing wrong.
      const options = { account: 'acme', keyId: KEY_ID, secret: 'x'.repeat(20), env: {} };
      const errors = [
        thrownBy(() => createTokenProvider({ [name]: 1, ...options } as never)),
        thrownBy(() => fileStore({ [name]: 1 } as never)),
        thrownBy(() => createTokenProvider({ retry: { [name]: 1 }, ...options } as never)),
        thrownBy(() => createLaceworkClient({ [name]: 1, ...options } as never)),
      ];
      for (const [index, error] of errors.entries()) {
        expect(error.code).toBe('ERR_LW_INVALID_OPTION');
        expectNotEchoed(error, `error ${index}`);
      }
      // Still recognisable as "unknown option" without the name.
      expect((errors[0] as { knownOptions?: string[] }).knownOptions).toContain('expiryTime');
      expect((errors[0] as { option?: string }).option).toBe('(not shown)');
    },
  );

  it('a request for another origin is refused without quoting that origin or URL', async () => {
    const emu = await emulator();
    const client = createLaceworkClient({ tokenProvider: providerFor(emu) });
    const error = await rejectionOf(
      client.get(new URL(`http://x${SECRET}.localhost:1/api/v2/x?key=${SECRET}`)),
    );
    expect(error.code).toBe('ERR_LW_INVALID_OPTION');
    expect(error.message).toContain('got a request for (a value of');
    expectNotEchoed(error, 'foreign request');
    expect(emu.stats().requests).toBe(0);
  });

  it('a credentials function returning an account with a secret in it', async () => {
    const provider = createTokenProvider({
      account: 'acme',
      credentials: () => ({ keyId: KEY_ID, secret: 'x'.repeat(20), account: `acme ${SECRET}` }),
    });
    const error = await rejectionOf(provider.getToken());
    expect(error.message).toMatch(/^`account` from the `credentials` function \(a value of/);
    expectNotEchoed(error, 'credentials function');
  });
});

describe('lacework-token does not print a secret given in the wrong argument', () => {
  beforeAll(assertBuilt);

  it.each([
    ['--expiry', SECRET],
    ['--expiry', `1 ${SECRET}`],
    ['--expiry', `${SECRET.slice(1)}`],
    [SECRET.slice(1)],
    [`x${SECRET}`],
    [`--${SECRET.slice(1)}`],
    [`--x${SECRET}=1`],
    [`-x${SECRET}`],
    ['--json', `--profile=x${SECRET}`],
    ['--account', `acme ${SECRET}`],
    ['--account', `x${SECRET}.lacework.net`],
    ['--profile', `x${SECRET}`],
    ['--key-file', `x${SECRET}`],
    ['--', `x${SECRET}`],
  ])('%j', async (...args) => {
    const home = await tempDir();
    const result = await runNode([DIST_CLI, ...args], {
      HOME: home,
      LW_ACCOUNT: 'acme',
      LW_API_KEY: KEY_ID,
      LW_API_SECRET: 'y'.repeat(20),
      LW_API_SERVER_URL: 'http://127.0.0.1:9',
    });
    expect(result.code, result.stderr).not.toBe(0);
    expect(result.stdout).toBe('');
    // With --json, errors are JSON too.
    expect(result.stderr).toMatch(/^(lacework-token: |\{"error":)/);
    expectNoPiece(result.stdout + result.stderr, 'CLI output');
  });
});
