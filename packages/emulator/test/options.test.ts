import { describe, expect, it } from 'vitest';
import { InvalidOptionError } from '../src/option-error.js';
import { startEmulator } from '../src/server.js';
import { emulator } from './support/helpers.js';

describe('options', () => {
  it('rejects unknown options, naming them', async () => {
    await expect(startEmulator({ prot: 1 } as never)).rejects.toMatchObject({
      code: 'ERR_LW_INVALID_OPTION',
      option: 'prot',
      message: expect.stringMatching(/Unknown emulator option `prot`/),
    });
  });

  it.each([
    [{ port: -1 }, /`port` must be an integer from 0 to 65535, got -1/, 'port'],
    [{ port: 1.5 }, /`port`/, 'port'],
    [{ host: '' }, /`host`/, 'host'],
    [{ retryAfter: 'yes' }, /`retryAfter` must be a boolean/, 'retryAfter'],
    [{ rateLimit: true }, /`rateLimit` must be false or an object/, 'rateLimit'],
    [
      { rateLimit: { limit: 0 } },
      /`rateLimit.limit` must be an integer >= 1, got 0/,
      'rateLimit.limit',
    ],
    [{ rateLimit: { windowMs: 'x' } }, /`rateLimit.windowMs`/, 'rateLimit.windowMs'],
    [{ rateLimit: { max: 3 } }, /`rateLimit` has an unknown field `max`/, 'rateLimit.max'],
    [{ keys: [] }, /`keys` must be a non-empty array/, 'keys'],
    [{ keys: [{ keyId: '' }] }, /`keys\[0\].keyId` must be a non-empty string/, 'keys[0].keyId'],
    [{ keys: [{ secret: 5 }] }, /`keys\[0\].secret`/, 'keys[0].secret'],
    [
      { keys: [{ subAccounts: 'a' }] },
      /`keys\[0\].subAccounts` must be an array/,
      'keys[0].subAccounts',
    ],
    [{ keys: [{ keyID: 'x' }] }, /`keys\[0\]` has an unknown field `keyID`/, 'keys[0].keyID'],
    [{ keys: [{ keyId: 'K' }, { keyId: 'K' }] }, /`keys\[1\].keyId` duplicates/, 'keys[1].keyId'],
    [{ onRequest: 1 }, /`onRequest` must be a function/, 'onRequest'],
    [{ tokenStatus: 204 }, /`tokenStatus` must be 200 or 201, got 204/, 'tokenStatus'],
    [{ bareTokens: 'yes' }, /`bareTokens` must be a boolean/, 'bareTokens'],
    [{ pageSize: 0 }, /`pageSize` must be an integer from 1 to 5000, got 0/, 'pageSize'],
    [{ pageSize: 5001 }, /`pageSize`/, 'pageSize'],
    [{ pageSize: 2.5 }, /`pageSize`/, 'pageSize'],
  ])('rejects %j, naming the option', async (options, message, option) => {
    const error = await startEmulator(options as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidOptionError);
    expect(error).toBeInstanceOf(TypeError);
    expect(error).toMatchObject({
      code: 'ERR_LW_INVALID_OPTION',
      option,
      message: expect.stringMatching(message),
    });
  });

  it('never echoes a bad secret value in the error', async () => {
    const err = await startEmulator({ keys: [{ secret: '_bad\nsecret-value' }] }).catch((e) => e);
    expect(String(err)).toMatch(/`keys\[0\].secret` must not contain CR or LF/);
    expect(String(err)).not.toContain('secret-value');
  });

  it('generates a key in the real formats when none is given', async () => {
    const emu = await emulator();
    expect(emu.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(emu.keys).toHaveLength(1);
    const [key] = emu.keys;
    expect(key?.keyId).toMatch(/^EMULATOR_[0-9A-F]{48}$/);
    expect(key?.keyId.length).toBeGreaterThanOrEqual(34);
    expect(key?.secret).toMatch(/^_[0-9a-f]{32}$/);
    expect(key?.secret.length).toBeGreaterThanOrEqual(30);
    expect(key).toMatchObject({
      account: 'emulator',
      subAccounts: ['emulator-sub'],
      orgAccess: true,
    });
  });

  it('keeps given keys and fills in the rest', async () => {
    const emu = await emulator({ keys: [{ keyId: 'ACME_1', account: 'acme' }, {}] });
    expect(emu.keys[0]).toMatchObject({
      keyId: 'ACME_1',
      account: 'acme',
      subAccounts: ['acme-sub'],
    });
    expect(emu.keys[0]?.secret).toMatch(/^_/);
    expect(emu.keys[1]?.keyId).toMatch(/^EMULATOR_/);
    expect(emu.keys[0]?.secret).not.toBe(emu.keys[1]?.secret);
  });

  it('refuses a port already in use', async () => {
    const emu = await emulator();
    await expect(startEmulator({ port: emu.port })).rejects.toThrow(/EADDRINUSE/);
  });
});
