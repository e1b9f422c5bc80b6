import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { inspect } from 'node:util';
import type { Fault } from '@lacework-auth/emulator';
import {
  CANARY_KEY_ID,
  CANARY_SECRET,
  canaryEmulator,
  expectNoSecrets,
  renderings,
  tempDir,
} from '@lacework-auth/test-kit/vitest';
import { describe, expect, it } from 'vitest';
import { createLaceworkClient } from '../src/client/client.js';
import { readKeyFile } from '../src/credentials/key-file.js';
import { resolveCredentials } from '../src/credentials/resolve.js';
import { createTokenProvider } from '../src/provider/token-provider.js';
import { providerFor, rejectionOf, thrownBy } from './support/emulator.js';

const faults: [string, Fault][] = [
  [
    '401 echoing the secret',
    { route: 'token', status: 401, body: { message: `bad secret ${CANARY_SECRET}` } },
  ],
  ['403', { route: 'token', status: 403 }],
  ['429', { route: 'token', status: 429, headers: { 'Retry-After': '999' } }],
  [
    '500 echoing the secret',
    { route: 'token', status: 500, body: { message: `X-LW-UAKS: ${CANARY_SECRET}` } },
  ],
  ['HTML page', { route: 'token', status: 200, body: `<html>${CANARY_SECRET}</html>` }],
  ['malformed JSON', { route: 'token', malformed: true }],
  ['reset', { route: 'token', reset: true }],
  ['timeout', { route: 'token', delayMs: 1000 }],
  [
    'redirect',
    {
      route: 'token',
      status: 307,
      headers: { Location: `https://evil.example/?s=${CANARY_SECRET}` },
    },
  ],
];

describe('the canary secret never leaks', () => {
  it.each(faults)('exchange failure: %s', async (_name, fault) => {
    const emu = await canaryEmulator();
    emu.inject(fault);
    const provider = providerFor(emu, { timeout: 200 });
    const error = await rejectionOf(provider.getToken());
    expect(error.code).toMatch(/^ERR_LW_/);
    expectNoSecrets(error, [CANARY_SECRET]);
    expect(renderings(error)).not.toContain('x-lw-uaks: _');
  });

  it('a custom fetch that throws with the request attached', async () => {
    const emu = await canaryEmulator();
    const provider = providerFor(emu, {
      fetch: async (input) => {
        const request = input as Request;
        throw Object.assign(new Error(`proxy refused ${request.headers.get('x-lw-uaks')}`), {
          request,
          headers: Object.fromEntries(request.headers),
        });
      },
    });
    const error = await rejectionOf(provider.getToken());
    expect(error.code).toBe('ERR_LW_NETWORK');
    expect(error.message).toMatch(/proxy refused \[REDACTED\]/);
    expectNoSecrets(error, [CANARY_SECRET]);
    const thrower = providerFor(emu, {
      fetch: () => {
        throw CANARY_SECRET;
      },
    });
    const odd = await rejectionOf(thrower.getToken());
    expect(odd.code).toBe('ERR_LW_NETWORK');
    expectNoSecrets(odd, [CANARY_SECRET]);
  });

  it('API failures carry neither the secret nor the token', async () => {
    const emu = await canaryEmulator();
    const provider = providerFor(emu);
    const client = createLaceworkClient({ tokenProvider: provider, timeout: 400, retry: 0 });
    const { token } = await provider.getToken();
    const apiFaults: ((current: string) => Fault)[] = [
      (current) => ({
        route: 'api',
        status: 403,
        body: { message: `token ${current} not authorized` },
        times: 2,
      }),
      (current) => ({ route: 'api', status: 404, body: { message: `got ${current}` } }),
      () => ({ route: 'api', status: 400, body: { message: 'Authorization: Bearer abc.def-ghi' } }),
      () => ({ route: 'api', status: 500 }),
      () => ({ route: 'api', status: 429, headers: { 'Retry-After': '999' } }),
      () => ({ route: 'api', delayMs: 2000 }),
      () => ({ route: 'api', reset: true }),
    ];
    for (const fault of apiFaults) {
      emu.clearFaults();
      const current = (await provider.getToken()).token;
      emu.inject(fault(current));
      const error = await rejectionOf(client.get('UserProfile'));
      expect(error.code).toMatch(/^ERR_LW_/);
      const latest = (await provider.getToken()).token;
      expectNoSecrets(error, [CANARY_SECRET, token, current, latest, 'abc.def-ghi']);
    }
  });

  it('providers and clients do not expose the secret when inspected or serialized', async () => {
    const emu = await canaryEmulator();
    const provider = providerFor(emu);
    const { token } = await provider.getToken();
    const client = createLaceworkClient({ tokenProvider: provider });
    for (const value of [provider, client]) {
      const text = `${inspect(value, { depth: 10, showHidden: true })}${JSON.stringify(value) ?? ''}`;
      expect(text).not.toContain(CANARY_SECRET);
      expect(text).not.toContain(token);
    }
  });

  it('credential and key-file errors do not quote the files', async () => {
    const dir = await tempDir();
    const badJson = join(dir, 'key.json');
    await writeFile(badJson, `{"keyId": "${CANARY_KEY_ID}", "secret": "${CANARY_SECRET}",,}`, {
      mode: 0o600,
    });
    const badToml = join(dir, 'lacework.toml');
    await writeFile(badToml, `[default]\napi_secret = "${CANARY_SECRET}\napi_key = 1\n`, {
      mode: 0o600,
    });
    const onlySecret = join(dir, 'secret-only.json');
    await writeFile(onlySecret, JSON.stringify({ secret: CANARY_SECRET }), { mode: 0o600 });
    const errors = [
      thrownBy(() => readKeyFile(badJson)),
      thrownBy(() => readKeyFile(onlySecret)),
      await rejectionOf(resolveCredentials({ configFile: badToml, env: {} })),
      await rejectionOf(
        resolveCredentials({ env: { LW_API_SECRET: CANARY_SECRET, LW_ACCOUNT: 'acme' } }),
      ),
      thrownBy(() =>
        createTokenProvider({ account: 'acme', keyId: 'K', secret: `${CANARY_SECRET}\n`, env: {} }),
      ),
    ];
    for (const error of errors) {
      expect(error.code).toMatch(/^ERR_LW_/);
      expectNoSecrets(error, [CANARY_SECRET]);
    }
  });

  it('permission warnings name the file, not its content', async () => {
    const dir = await tempDir();
    await mkdir(join(dir, 'home'));
    const file = join(dir, 'home', '.lacework.toml');
    await writeFile(
      file,
      `[default]\naccount = "acme"\napi_key = "${CANARY_KEY_ID}"\napi_secret = "${CANARY_SECRET}"\n`,
      { mode: 0o644 },
    );
    const warnings: string[] = [];
    await resolveCredentials({
      env: { HOME: join(dir, 'home') },
      onWarning: (m) => warnings.push(m),
    });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(file);
    expect(warnings.join('\n')).not.toContain(CANARY_SECRET);
  });
});
