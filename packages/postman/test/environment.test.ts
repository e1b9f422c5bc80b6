import { describe, expect, it } from 'vitest';
import { createEnvironment } from '../src/environment.js';

describe('createEnvironment', () => {
  it('has the lw_* variables, the secret typed secret and empty unless given', () => {
    const env = createEnvironment({ account: 'acme', keyId: 'ACME_123', subAccount: 'dev' });
    expect(env).toMatchObject({ name: 'Lacework', _postman_variable_scope: 'environment' });
    expect(env.values).toEqual([
      { key: 'lw_base_url', value: 'https://acme.lacework.net', type: 'default', enabled: true },
      { key: 'lw_key_id', value: 'ACME_123', type: 'default', enabled: true },
      { key: 'lw_secret', value: '', type: 'secret', enabled: true },
      { key: 'lw_sub_account', value: 'dev', type: 'default', enabled: true },
      { key: 'lw_expiry_time', value: '', type: 'default', enabled: true },
    ]);
  });

  it('writes the secret only when it is given', () => {
    const env = createEnvironment({ baseUrl: 'http://127.0.0.1:9', secret: '_s', expiryTime: 60 });
    expect(env.values.find((v) => v.key === 'lw_secret')).toMatchObject({
      value: '_s',
      type: 'secret',
    });
    expect(env.values.find((v) => v.key === 'lw_base_url')?.value).toBe('http://127.0.0.1:9');
    expect(env.values.find((v) => v.key === 'lw_expiry_time')?.value).toBe('60');
  });

  it.each([
    ['keyId', { keyId: '_0123456789abcdef0123456789abcdef' }],
    ['subAccount', { subAccount: ' _0123456789abcdef0123456789abcdef' }],
    ['keyId', { keyId: 'ACME_4A1F0123456789ABCDEF _0123456789abcdef0123456789abcdef' }],
    ['keyId', { keyId: '`_0123456789abcdef0123456789abcdef`' }],
    ['subAccount', { subAccount: 'acme-dev:_0123456789abcdef0123456789abcdef' }],
  ] as const)('refuses a secret pasted as %s, without repeating it', (option, input) => {
    const error = (() => {
      try {
        createEnvironment({ account: 'acme', ...input });
      } catch (e) {
        return e as Error & { code?: string; option?: string };
      }
      throw new Error('expected createEnvironment to throw');
    })();
    expect(error).toMatchObject({ code: 'ERR_LW_INVALID_OPTION', option });
    expect(error.message).toMatch(/looks like an API secret .* not written to the environment/);
    expect(`${error.message}${error.stack}`).not.toContain('0123456789abcdef');
  });

  it('validates like core: account names, expiry range', () => {
    expect(() => createEnvironment({ account: 'https://evil.example.com' })).toThrow();
    expect(() => createEnvironment({ expiryTime: 90000 })).toThrow(
      '`expiryTime` must be an integer from 1 to 86400, got 90000.',
    );
  });
});
