import { CANARY_SECRET, emulator, expectNoSecrets } from '@lacework-auth/test-kit/vitest';
import { describe, expect, it } from 'vitest';
import { createLaceworkClient } from '../src/client/client.js';
import {
  InvalidOptionError,
  isLaceworkAuthError,
  type LaceworkAuthErrorCode,
} from '../src/protocol/errors.js';
import { validateExpiryTime } from '../src/protocol/validate.js';
import { exchangeKey } from '../src/provider/exchange.js';
import { createTokenProvider, type TokenProviderOptions } from '../src/provider/token-provider.js';
import { fileStore } from '../src/stores/file.js';
import { providerFor, rejectionOf, thrownBy } from './support/emulator.js';

function expectInvalid(
  fn: () => unknown,
  pattern: RegExp,
  code: LaceworkAuthErrorCode = 'ERR_LW_INVALID_OPTION',
) {
  const error = thrownBy(fn);
  expect(isLaceworkAuthError(error, code), error.message).toBe(true);
  expect(error.message).toMatch(pattern);
  expectNoSecrets(error, [CANARY_SECRET]);
}

describe('input validation before any request', () => {
  it('rejects bad options synchronously and sends nothing', async () => {
    const emu = await emulator();
    const key = emu.keys[0];
    if (!key) throw new Error('no key');
    const base = { baseUrl: emu.url, keyId: key.keyId, secret: CANARY_SECRET, env: {} };
    const bad: [Partial<TokenProviderOptions> & Record<string, unknown>, RegExp][] = [
      [{ expiryTime: 0 }, /`expiryTime` must be an integer from 1 to 86400 \(seconds\), got 0\./],
      [{ expiryTime: 86_401 }, /`expiryTime` .* got 86401/],
      [{ expiryTime: 1.5 }, /`expiryTime`/],
      [{ expiryTime: Number.NaN }, /`expiryTime`/],
      [{ expiryTime: '60' as unknown as number }, /`expiryTime` .* got a string/],
      [{ keyId: '' }, /`keyId`.* non-empty string/],
      [{ keyId: 42 as unknown as string }, /`keyId` must be a string/],
      [{ secret: '' }, /`secret`.* non-empty string/],
      [{ secret: `${CANARY_SECRET}\r\nX-Evil: 1` }, /`secret`.*control character/],
      [{ keyId: 'K_1\nX-Evil: 1' }, /`keyId`.*control character/],
      [{ subAccount: 'sub\r\nX-Evil: 1' }, /`subAccount`.*control character/],
      [{ subAccount: 'sub\u0000' }, /`subAccount`.*control character/],
      [{ secret: ` ${CANARY_SECRET}` }, /`secret`.*spaces/],
      [{ secret: `${CANARY_SECRET}é` }, /`secret`.*non-ASCII/],
      [{ orgAccess: 'yes' as unknown as boolean }, /`orgAccess` must be a boolean/],
      // null is not "no profile": as every other option, it is refused (it was read as unset).
      [{ profile: null as never }, /`profile` must be a non-empty string, got null/],
      [{ profile: '' }, /`profile` must be a non-empty string, got an empty string/],
      [{ expiry: 60 }, /unknown option `expiry`/],
      [{ secretKey: 'x' }, /unknown option `secretKey`/],
      [{ ExpiryTime: 60 }, /Did you mean `expiryTime`/],
      [{ timeout: -1 }, /`timeout`/],
      [{ retry: -1 }, /`retry`/],
      [{ retry: { limit: 1, tries: 2 } as never }, /`retry` got an unknown field `tries`/],
      [{ store: {} as never }, /`store` must have get, set and delete/],
      [{ fetch: 'fetch' as never }, /`fetch` must be a function/],
      [{ refreshWindow: -5 }, /`refreshWindow`/],
      [{ credentials: { keyId: 'k', secret: 's' } }, /`credentials` and `keyId` contradict/],
    ];
    for (const [options, pattern] of bad) {
      expectInvalid(() => createTokenProvider({ ...base, ...options }), pattern);
    }
    expectInvalid(() => createTokenProvider(null as never), /options must be an object/);
    expectInvalid(
      () => createTokenProvider({ ...base, baseUrl: 'http://example.com' }),
      /http:.*clear text/,
      'ERR_LW_INVALID_BASE_URL',
    );
    expectInvalid(
      () => createLaceworkClient({ tokenProvider: providerFor(emu), keyId: 'x' }),
      /`tokenProvider` together with `keyId`; configure those on the provider/,
    );
    expectInvalid(() => createLaceworkClient({ ...base, timeout: 0 }), /`timeout`/);
    expectInvalid(
      () => createLaceworkClient({ tokenProvider: {} as never }),
      /`tokenProvider` must/,
    );
    expectInvalid(() => fileStore({ dir: '' }), /`dir`/);
    expectInvalid(() => fileStore({ directory: '/tmp' } as never), /unknown option `directory`/);
    expectInvalid(
      () => validateExpiryTime(90_000),
      /`expiryTime` must be an integer from 1 to 86400 \(seconds\), got 90000\./,
    );
    expect(validateExpiryTime(86_400)).toBe(86_400);
    expect(validateExpiryTime(1)).toBe(1);

    // exchangeKey validates too, before sending.
    for (const request of [
      { keyId: key.keyId, secret: `${CANARY_SECRET}\n`, expiryTime: 60 },
      { keyId: '', secret: CANARY_SECRET },
      { keyId: key.keyId, secret: CANARY_SECRET, expiryTime: 0 },
      { keyId: key.keyId, secret: CANARY_SECRET, subAccount: 'a\rb' },
    ]) {
      const error = await rejectionOf(exchangeKey({ baseUrl: emu.url, ...request }));
      expect(error.code).toBe('ERR_LW_INVALID_OPTION');
      expectNoSecrets(error, [CANARY_SECRET]);
    }

    const insecure = await rejectionOf(
      exchangeKey({ baseUrl: 'http://lacework.example', keyId: key.keyId, secret: CANARY_SECRET }),
    );
    expect(insecure.code).toBe('ERR_LW_INVALID_BASE_URL');
    const badRetry = await rejectionOf(
      exchangeKey({ baseUrl: emu.url, keyId: key.keyId, secret: CANARY_SECRET, retry: -1 }),
    );
    expect(badRetry.code).toBe('ERR_LW_INVALID_OPTION');

    // A credentials function returning a bad key fails at getToken, still before sending.
    const rotating = createTokenProvider({
      baseUrl: emu.url,
      env: {},
      credentials: async () => ({ keyId: key.keyId, secret: `${CANARY_SECRET}\r\n` }),
    });
    const error = await rejectionOf(rotating.getToken());
    expect(error.code).toBe('ERR_LW_INVALID_OPTION');
    expectNoSecrets(error, [CANARY_SECRET]);

    const forced = await rejectionOf(
      providerFor(emu).getToken({ forceRefresh: 'yes' as unknown as boolean }),
    );
    expect(forced.message).toMatch(/`forceRefresh` must be a boolean/);

    expect(emu.stats().requests).toBe(0);
  });

  it('names the option in structured fields, so callers need not parse the message', () => {
    const base = { baseUrl: 'http://127.0.0.1:9', keyId: 'K', secret: CANARY_SECRET, env: {} };
    const typo = thrownBy(() => createTokenProvider({ ...base, ExpiryTime: 60 } as never));
    expect(typo).toBeInstanceOf(InvalidOptionError);
    expect(typo).toMatchObject({ option: 'ExpiryTime', suggestion: 'expiryTime' });
    expect((typo as InvalidOptionError).knownOptions).toContain('expiryTime');
    expect(typo.toJSON()).toMatchObject({ option: 'ExpiryTime', suggestion: 'expiryTime' });

    const unknown = thrownBy(() => createTokenProvider({ ...base, secretKey: 'x' } as never));
    expect(unknown).toMatchObject({ option: 'secretKey', suggestion: undefined });
    expect((unknown as InvalidOptionError).knownOptions).toContain('secret');

    const badValue = thrownBy(() => createTokenProvider({ ...base, expiryTime: 0 }));
    expect(badValue).toMatchObject({ option: 'expiryTime', knownOptions: undefined });
    expect(thrownBy(() => createTokenProvider({ ...base, retry: { limit: -1 } }))).toMatchObject({
      option: 'retry.limit',
    });
    expect(thrownBy(() => createTokenProvider({ ...base, secret: ' x' }))).toMatchObject({
      option: 'secret',
    });
    expect(thrownBy(() => fileStore({ dirr: '/tmp' } as never))).toMatchObject({
      option: 'dirr',
      suggestion: 'dir',
    });
    expect(thrownBy(() => fileStore({ colour: 1 } as never))).toMatchObject({
      option: 'colour',
      suggestion: undefined,
    });
    expect(thrownBy(() => createTokenProvider(null as never))).toMatchObject({ option: 'options' });
    expectNoSecrets(badValue, [CANARY_SECRET]);
  });

  it('a credentials function needs the account up front', () => {
    expectInvalid(
      () =>
        createTokenProvider({ env: {}, credentials: async () => ({ keyId: 'k', secret: 's' }) }),
      /`account` or `baseUrl` is required/,
    );
  });
});
