// The per-attempt deadline reaches the body read itself. ky gives fetch a signal made with
// AbortSignal.any(), which Node 20's fetch follows only weakly: after a garbage collection the
// abort used to reach nobody, and a stalled body waited for undici's 300 s timeout.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { CANARY_SECRET, emulator } from '@lacework-auth/test-kit/vitest';
import { describe, expect, it } from 'vitest';
import { createLaceworkClient } from '../src/client/client.js';
import { isLaceworkAuthError } from '../src/protocol/errors.js';
import { providerFor } from './support/emulator.js';

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

/** The error code `call` settles with, `ok`, or `hung` (far past the timeout, far short of 300 s). */
async function outcomeWithGc(call: () => Promise<unknown>): Promise<string> {
  const settled = call().then(
    () => 'ok',
    (error: unknown) => (isLaceworkAuthError(error) ? error.code : String(error)),
  );
  await new Promise((resolve) => setTimeout(resolve, 200)); // headers and half the body are in
  collectGarbage();
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve('hung'), 15_000);
  });
  try {
    return await Promise.race([settled, hung]);
  } finally {
    clearTimeout(timer);
  }
}

describe('a stalled body ends at `timeout` even when a garbage collection runs meanwhile', () => {
  it('token exchange', { timeout: 30_000 }, async () => {
    const emu = await emulator();
    emu.inject({ route: 'token', stallBody: true });
    const provider = providerFor(emu, { timeout: 1000, retry: 0 });
    expect(await outcomeWithGc(() => provider.getToken())).toBe('ERR_LW_TIMEOUT');
  });

  it('API call through the client', { timeout: 30_000 }, async () => {
    const emu = await emulator();
    const client = createLaceworkClient({
      tokenProvider: providerFor(emu),
      timeout: 1000,
      retry: 0,
    });
    await client.get('UserProfile').json();
    emu.inject({ route: 'api', stallBody: true });
    expect(await outcomeWithGc(() => client.get('UserProfile').json())).toBe('ERR_LW_TIMEOUT');
  });
});

describe('an API answer whose body is not JSON', () => {
  it('.json() fails with ERR_LW_BAD_RESPONSE, not a bare SyntaxError, and quotes nothing', async () => {
    const emu = await emulator();
    const client = createLaceworkClient({ tokenProvider: providerFor(emu), retry: 0 });
    emu.inject({ route: 'api', malformed: true });
    const error = await client
      .get('UserProfile')
      .json()
      .then(
        () => undefined,
        (reason: unknown) => reason,
      );
    expect(isLaceworkAuthError(error, 'ERR_LW_BAD_RESPONSE'), String(error)).toBe(true);
    expect((error as Error).message).toMatch(/not valid JSON/);
    expect(JSON.stringify(error) + String((error as Error).stack)).not.toContain(CANARY_SECRET);
  });
});
