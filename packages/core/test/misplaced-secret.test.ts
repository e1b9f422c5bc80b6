import {
  CANARY_KEY_ID,
  CANARY_SECRET,
  canaryEmulator,
  expectNoSecrets,
  tempDir,
} from '@lacework-auth/test-kit/vitest';
import { describe, expect, it } from 'vitest';
import { resolveCredentials } from '../src/credentials/resolve.js';
import { resolveBaseUrl } from '../src/protocol/base-url.js';
import { holdsSecret, keyIdHint } from '../src/protocol/redact.js';
import { providerFor, rejectionOf } from './support/emulator.js';

// A secret given in the wrong setting is named by the setting, never echoed.
const PIECE = CANARY_SECRET.slice(0, 9);

function expectHidden(error: unknown): void {
  expectNoSecrets(error, [CANARY_SECRET, PIECE, CANARY_SECRET.slice(1, 10)]);
}

describe('a secret in the wrong setting', () => {
  it.each([
    [
      'LW_ACCOUNT',
      { LW_ACCOUNT: CANARY_SECRET },
      /^`LW_ACCOUNT` looks like an API secret \(it starts with `_`\).*e\.g\. `acme`/,
    ],
    [
      'LW_API_SERVER_URL',
      { LW_API_SERVER_URL: CANARY_SECRET },
      /^`LW_API_SERVER_URL` looks like an API secret/,
    ],
    [
      'LW_SUBACCOUNT',
      { LW_ACCOUNT: 'acme', LW_SUBACCOUNT: CANARY_SECRET },
      /^`LW_SUBACCOUNT` looks like an API secret/,
    ],
    [
      'LW_ORGANIZATION',
      { LW_ACCOUNT: 'acme', LW_ORGANIZATION: CANARY_SECRET },
      /^LW_ORGANIZATION must be true or false/,
    ],
  ])('%s is named, not echoed', async (_name, env, message) => {
    const error = await rejectionOf(
      resolveCredentials({
        env: {
          HOME: '/nonexistent',
          LW_API_KEY: CANARY_KEY_ID,
          LW_API_SECRET: 'x'.repeat(20),
          ...env,
        },
      }),
    );
    expect(error.code).toMatch(/^ERR_LW_INVALID_(BASE_URL|OPTION)$/);
    expect(error.message).toMatch(message);
    expectHidden(error);
  });

  it('the `account` option and a profile account are named, not echoed', async () => {
    const explicit = await rejectionOf(
      resolveCredentials({
        account: CANARY_SECRET,
        keyId: CANARY_KEY_ID,
        secret: 'x'.repeat(20),
        env: {},
      }),
    );
    expect(explicit.message).toMatch(/^`account` looks like an API secret/);
    expectHidden(explicit);
    const dir = await tempDir();
    const { writeFile, chmod } = await import('node:fs/promises');
    const file = `${dir}/lacework.toml`;
    await writeFile(
      file,
      `[default]\naccount = "${CANARY_SECRET}"\napi_key = "${CANARY_KEY_ID}"\napi_secret = "${'y'.repeat(20)}"\n`,
    );
    await chmod(file, 0o600);
    const fromToml = await rejectionOf(resolveCredentials({ configFile: file, env: {} }));
    expect(fromToml.message).toMatch(
      /^`account` in profile \[default\] of .* looks like an API secret/,
    );
    expectHidden(fromToml);
  });

  it.each([
    CANARY_SECRET,
    ` ${CANARY_SECRET} `,
    `https://x:${CANARY_SECRET}@acme.lacework.net`,
    `https://${CANARY_SECRET}.lacework.net`,
  ])('resolveBaseUrl(%j) does not echo it', (input) => {
    for (const options of [{}, { allowAnyHost: true }]) {
      let error: unknown;
      try {
        resolveBaseUrl(input, options);
      } catch (caught) {
        error = caught;
      }
      if (error !== undefined) expectHidden(error);
    }
    expect(() => resolveBaseUrl(input)).toThrow(/secret|user info/);
  });

  it('a URL path that happens to hold such a value is dropped, not rejected', () => {
    expect(resolveBaseUrl(`https://acme.lacework.net/${CANARY_SECRET}`)).toBe(
      'https://acme.lacework.net',
    );
  });

  it('keyIdHint does not print a key ID that looks like a secret', () => {
    expect(keyIdHint(CANARY_SECRET)).not.toContain(PIECE);
    expect(keyIdHint(CANARY_SECRET)).toMatch(/looks like an API secret/);
    expect(keyIdHint('ACME_0123456789ABCDEF')).toBe('ACME_01234…');
  });

  it('keyId and secret swapped: the rejection does not print the secret', async () => {
    const emu = await canaryEmulator();
    const provider = providerFor(emu, { keyId: CANARY_SECRET, secret: CANARY_KEY_ID });
    const error = await rejectionOf(provider.getToken());
    expect(error.code).toBe('ERR_LW_KEY_REJECTED');
    expect(error.message).toMatch(/keyId and secret swapped/);
    expectHidden(error);
  });
});

describe('holdsSecret', () => {
  const secret = '_5ebf0c2d9a84e7b93c1a6f0d2e4b8c7';
  it.each([
    ['on its own', secret],
    ['after the key id', `ACME_4A1F0123456789ABCDEF ${secret}`],
    ['after a colon', `ACME_4A1F0123456789ABCDEF:${secret}`],
    ['in backticks', `\`${secret}\``],
    ['with its `_` escaped', `\\${secret}`],
    ['after a name', `secret=${secret}`],
  ])('finds a secret %s', (_where, value) => {
    expect(holdsSecret(value)).toBe(true);
  });

  it.each(['ACME_4A1F0123456789ABCDEF', 'MY-ORG_4A1F0123456789ABCDEF', 'acme-dev', '_short', ''])(
    'passes %j',
    (value) => {
      expect(holdsSecret(value)).toBe(false);
    },
  );
});
