import { isLaceworkAuthError } from '@lacework-auth/core';
import { describe, expect, it } from 'vitest';
import './support/temp-dir.js';
import { flavours, newStack } from './support/flavours.js';

const SECRET = '_validation0canary0secret';

describe.each(flavours)('config checked at synth time ($name)', (flavour) => {
  const { LaceworkAccessToken } = flavour.pkg;
  const http = { mode: 'http-data-source' } as const;
  const base = { ...http, account: 'acme', keyId: 'ACME_KEY', secret: SECRET };

  function attempt(config: unknown) {
    const stack = newStack(flavour);
    try {
      new LaceworkAccessToken(stack, 'lacework', config as never);
    } catch (error) {
      return error;
    }
    throw new Error('expected the construct to throw');
  }

  it.each([
    [
      'a missing keyId',
      { ...http, account: 'acme', secret: SECRET },
      'ERR_LW_INVALID_OPTION',
      /`keyId` is required/,
    ],
    [
      'a missing secret',
      { ...http, account: 'acme', keyId: 'K' },
      'ERR_LW_INVALID_OPTION',
      /`secret` is required: pass the API key secret/,
    ],
    ['an empty secret', { ...base, secret: '' }, 'ERR_LW_INVALID_OPTION', /`secret` is required/],
    [
      'a non-string keyId',
      { ...base, keyId: 42 },
      'ERR_LW_INVALID_OPTION',
      /`keyId` must be a string or a Terraform token .* got 42/,
    ],
    [
      'a secret with a line break',
      { ...base, secret: `${SECRET}\n` },
      'ERR_LW_INVALID_OPTION',
      /`secret` contains a control character/,
    ],
    [
      'a secret with spaces around it',
      { ...base, secret: ` ${SECRET}` },
      'ERR_LW_INVALID_OPTION',
      /`secret` has leading or trailing spaces/,
    ],
    [
      'neither account nor baseUrl',
      { ...http, keyId: 'K', secret: SECRET },
      'ERR_LW_INVALID_OPTION',
      /Set `account` \(e\.g\. "acme" for https:\/\/acme\.lacework\.net\) or `baseUrl`/,
    ],
    [
      'both account and baseUrl',
      { ...base, baseUrl: 'https://acme.lacework.net' },
      'ERR_LW_INVALID_OPTION',
      /Set either `account` or `baseUrl`, not both/,
    ],
    [
      'an account that is not a Lacework host',
      { ...base, account: 'evil.example.com' },
      'ERR_LW_INVALID_BASE_URL',
      /not a \.lacework\.net host/,
    ],
    [
      'an account with bad characters',
      { ...base, account: 'ac_me' },
      'ERR_LW_INVALID_BASE_URL',
      /not a valid Lacework account name/,
    ],
    [
      'a plain-http base URL to a remote host',
      { ...base, account: undefined, baseUrl: 'http://proxy.example.com' },
      'ERR_LW_INVALID_BASE_URL',
      /clear text/,
    ],
    [
      'expiryTime 0',
      { ...base, expiryTime: 0 },
      'ERR_LW_INVALID_OPTION',
      /`expiryTime` must be an integer from 1 to 86400 \(seconds\), got 0\./,
    ],
    ['expiryTime 90000', { ...base, expiryTime: 90000 }, 'ERR_LW_INVALID_OPTION', /got 90000/],
    ['expiryTime 1.5', { ...base, expiryTime: 1.5 }, 'ERR_LW_INVALID_OPTION', /got 1\.5/],
    [
      'an empty subAccount',
      { ...base, subAccount: '' },
      'ERR_LW_INVALID_OPTION',
      /`subAccount` must not be empty/,
    ],
    [
      'retry.limit 11',
      { ...base, retry: { limit: 11 } },
      'ERR_LW_INVALID_OPTION',
      /`retry\.limit` must be an integer from 0 to 10, got 11/,
    ],
    [
      'retry.attempts 11 (deprecated name)',
      { ...base, retry: { attempts: 11 } },
      'ERR_LW_INVALID_OPTION',
      /`retry\.attempts` must be an integer from 0 to 10, got 11/,
    ],
    [
      'retry.backoffLimit below backoffStart',
      { ...base, retry: { backoffStart: 500, backoffLimit: 100 } },
      'ERR_LW_INVALID_OPTION',
      /`retry\.backoffLimit` \(100\) must be at least `retry\.backoffStart` \(500\)/,
    ],
    [
      'a retry option and its deprecated name',
      { ...base, retry: { limit: 2, attempts: 3 } },
      'ERR_LW_INVALID_OPTION',
      /`retry\.attempts` is the deprecated name of `retry\.limit`; give only `retry\.limit`/,
    ],
    [
      'a retry typo',
      { ...base, retry: { Limit: 2 } },
      'ERR_LW_INVALID_OPTION',
      /unknown option `Limit`\. Did you mean `limit`\?/,
    ],
    [
      'timeout 0',
      { ...base, timeout: 0 },
      'ERR_LW_INVALID_OPTION',
      /`timeout` must be an integer from 1/,
    ],
    [
      'requestTimeoutMs 0 (deprecated name)',
      { ...base, requestTimeoutMs: 0 },
      'ERR_LW_INVALID_OPTION',
      /`requestTimeoutMs` must be an integer from 1/,
    ],
    [
      'timeout and requestTimeoutMs',
      { ...base, timeout: 1000, requestTimeoutMs: 1000 },
      'ERR_LW_INVALID_OPTION',
      /`requestTimeoutMs` is the deprecated name of `timeout`/,
    ],
    [
      'an option typo',
      { ...base, expirytime: 60 },
      'ERR_LW_INVALID_OPTION',
      /unknown option `expirytime`\. Did you mean `expiryTime`\?/,
    ],
    [
      'orgAccess "yes"',
      { ...base, orgAccess: 'yes' },
      'ERR_LW_INVALID_OPTION',
      /`orgAccess` must be a boolean, got a string/,
    ],
    [
      'a non-http provider',
      { ...base, provider: { terraformResourceType: 'aws', fqn: 'aws' } },
      'ERR_LW_INVALID_OPTION',
      /`provider` must be an `http` provider/,
    ],
    ['no config at all', undefined, 'ERR_LW_INVALID_OPTION', /needs a config object/],
  ])('rejects %s with a clear error', (_name, config, code, message) => {
    const error = attempt(config);
    expect(isLaceworkAuthError(error)).toBe(true);
    expect((error as { code: string }).code).toBe(code);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain(SECRET);
    expect(JSON.stringify(error)).not.toContain(SECRET);
  });

  it('accepts every account form core accepts', () => {
    for (const [account, url] of [
      ['acme', 'https://acme.lacework.net'],
      ['ACME.lacework.net', 'https://acme.lacework.net'],
      ['https://acme.lacework.net/ui/investigation', 'https://acme.lacework.net'],
      ['acme.fra.lacework.net', 'https://acme.fra.lacework.net'],
    ] as const) {
      const stack = newStack(flavour);
      const token = new LaceworkAccessToken(stack, 'lacework', { ...base, account });
      expect(token.baseUrl).toBe(url);
    }
  });
});
