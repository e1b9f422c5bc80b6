import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chainCredentials, explainChain, readCredentialChain } from '../src/credentials/chain.js';

const SECRET = '_0123456789abcdef0123456789abcdef';
const FILE_SECRET = '_fedcba9876543210fedcba9876543210';
const TOML_SECRET = '_aaaabbbbccccdddd0000111122223333';

let home: string;
let keyFile: string;
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'lw-chain-'));
  keyFile = join(home, 'key.json');
  writeFileSync(
    keyFile,
    JSON.stringify({ keyId: 'FILE_00112233445566778899', secret: FILE_SECRET, account: 'filed' }),
    { mode: 0o600 },
  );
  writeFileSync(
    join(home, '.lacework.toml'),
    `[default]\naccount = "tomled"\napi_key = "TOML_0011223344556677"\napi_secret = "${TOML_SECRET}"\n\n[prod]\naccount = "prodacct"\nsubaccount = "prod-sub"\napi_key = "PROD_0011223344556677"\napi_secret = "${TOML_SECRET}"\n`,
    { mode: 0o600 },
  );
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

const ENV = {
  LW_ACCOUNT: 'envacct',
  LW_API_KEY: 'ENV_00112233445566778899',
  LW_API_SECRET: SECRET,
};

describe('readCredentialChain', () => {
  it('a key file named by a flag wins over LW_API_KEY; a flag wins over the file', () => {
    const chain = readCredentialChain({ keyFile, env: { ...ENV, HOME: home } });
    expect(chain.settings.keyId?.value).toBe('FILE_00112233445566778899');
    expect(chain.settings.keyId?.from).toContain('(--key-file)');
    expect(chain.settings.secret?.value).toBe(FILE_SECRET);
    expect(chain.settings.account).toMatchObject({ value: 'filed' });

    const flagged = readCredentialChain({
      keyFile,
      flags: { account: 'flagged' },
      flagNames: { account: '--account' },
      env: { ...ENV, HOME: home },
    });
    expect(flagged.settings.account).toEqual({ value: 'flagged', from: '--account' });
  });

  it('LW_* beats the profile (as `lacework configure show`); the profile fills the gaps', () => {
    const env = readCredentialChain({ env: { ...ENV, HOME: home } });
    expect(env.settings.keyId).toEqual({ value: ENV.LW_API_KEY, from: 'LW_API_KEY' });
    expect(env.settings.account).toEqual({ value: 'envacct', from: 'LW_ACCOUNT' });

    const profile = readCredentialChain({
      profile: 'prod',
      env: { LW_ACCOUNT: 'envacct', HOME: home },
    });
    expect(profile.profileFrom).toBe('--profile');
    expect(profile.settings.keyId?.value).toBe('PROD_0011223344556677');
    expect(profile.settings.keyId?.from).toMatch(/`api_key` in profile \[prod\]/);
    expect(profile.settings.account).toEqual({ value: 'envacct', from: 'LW_ACCOUNT' });
    expect(profile.settings.subAccount?.value).toBe('prod-sub');
  });

  it('the key id and the secret come from one source', () => {
    const chain = readCredentialChain({
      flags: { keyId: 'FLAG_00112233445566778899' },
      flagNames: { keyId: '--key-id' },
      env: { ...ENV, HOME: home },
    });
    expect(chain.settings.keyId?.from).toBe('--key-id');
    expect(chain.settings.secret).toBeUndefined();
    expect(() => chainCredentials(chain)).toThrow(
      /--key-id is set but the secret that goes with it is not/,
    );
  });
});

describe('chainCredentials', () => {
  it('names flags and variables in its messages, never library options', () => {
    const none = readCredentialChain({ env: { HOME: join(home, 'nowhere') } });
    let message = '';
    try {
      chainCredentials(none);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/Set LW_API_KEY and LW_API_SECRET/);
    expect(message).toMatch(/--key-file/);
    expect(message).not.toMatch(/`keyFile`|`keyId`|option/);

    const noAccount = readCredentialChain({
      env: { LW_API_KEY: 'K_1', LW_API_SECRET: SECRET, HOME: join(home, 'nowhere') },
    });
    expect(() => chainCredentials(noAccount)).toThrow(/Pass --account .* set LW_ACCOUNT/);
    const bad = readCredentialChain({
      flags: { account: 'not a host' },
      flagNames: { account: '--account' },
      env: { ...ENV, HOME: home },
    });
    expect(() => chainCredentials(bad)).toThrow(/--account/);
  });

  it('gives the key and base URL of the winning sources', () => {
    const credentials = chainCredentials(
      readCredentialChain({ keyFile, env: { ...ENV, HOME: home } }),
    );
    expect(credentials).toMatchObject({
      baseUrl: 'https://filed.lacework.net',
      keyId: 'FILE_00112233445566778899',
      secret: FILE_SECRET,
    });
  });
});

describe('explainChain', () => {
  it('says where each setting came from and never shows the secret', () => {
    const lines = explainChain(readCredentialChain({ keyFile, env: { ...ENV, HOME: home } }));
    const text = lines.join('\n');
    expect(text).toMatch(/^account: +filed +from `account` in key file .*\(--key-file\)$/m);
    expect(text).toMatch(/^key id: +FILE_00112… +from/m);
    expect(text).toMatch(/^secret: +\(set, not shown\) +from/m);
    expect(text).not.toContain(FILE_SECRET);
    expect(text).not.toContain(SECRET);
  });
});
