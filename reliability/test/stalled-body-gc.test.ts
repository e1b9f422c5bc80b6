// Found by the fault matrix and fixed in @lacework-auth/core (body-deadline.ts): a stalled
// response body was not cut off at `timeout` when a garbage collection ran while the body was
// awaited. ky 1.14 combines the deadline signal with its own through AbortSignal.any(), and fetch
// (undici) keeps that combined signal only weakly, so a GC collected it and the abort reached
// nobody: the request waited for undici's own 300 s body timeout. core now cancels the body
// through a reader it holds when the deadline fires.
import {
  createLaceworkClient,
  createTokenProvider,
  isLaceworkAuthError,
} from '@lacework-auth/core';
import { type Emulator, startEmulator } from '@lacework-auth/emulator';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { collectGarbage, within } from './support/deadline.js';
import { sleep } from './support/servers.js';

const TIMEOUT_MS = 1000;
/** Far past the timeout, far short of undici's 300 s body timeout. */
const HUNG_AFTER_MS = 8000;

let emu: Emulator;
beforeEach(async () => {
  emu = await startEmulator({ rateLimit: false });
});
afterEach(() => emu.close());

function keyOptions() {
  const key = emu.keys[0];
  if (!key) throw new Error('no key');
  return { baseUrl: emu.url, keyId: key.keyId, secret: key.secret, env: {}, retry: 0 };
}

/** Code of the error `call` rejects with, `ok`, or `hung`; collects garbage while it waits. */
async function outcomeWithGc(call: () => Promise<unknown>) {
  const settled = call().then(
    () => 'ok',
    (error: unknown) => (isLaceworkAuthError(error) ? error.code : String(error)),
  );
  await sleep(200); // the status line and half the body have arrived; the rest never will
  collectGarbage();
  return within(settled, HUNG_AFTER_MS);
}

describe('a stalled body ends at `timeout` even when a GC runs meanwhile ', () => {
  it('without a GC, the token exchange times out as documented (control)', async () => {
    emu.inject({ route: 'token', stallBody: true });
    const provider = createTokenProvider({ ...keyOptions(), timeout: TIMEOUT_MS });
    const settled = provider.getToken().then(
      () => 'ok',
      (error: unknown) => (isLaceworkAuthError(error) ? error.code : String(error)),
    );
    expect(await within(settled, HUNG_AFTER_MS)).toBe('ERR_LW_TIMEOUT');
  });

  it('token exchange: ERR_LW_TIMEOUT, not a hang', async () => {
    emu.inject({ route: 'token', stallBody: true });
    const provider = createTokenProvider({ ...keyOptions(), timeout: TIMEOUT_MS });
    expect(await outcomeWithGc(() => provider.getToken())).toBe('ERR_LW_TIMEOUT');
  });

  it('API call through the client: ERR_LW_TIMEOUT, not a hang', async () => {
    const client = createLaceworkClient({ ...keyOptions(), timeout: TIMEOUT_MS });
    await client.get('UserProfile').json();
    emu.inject({ route: 'api', stallBody: true });
    expect(await outcomeWithGc(() => client.get('UserProfile').json())).toBe('ERR_LW_TIMEOUT');
  });
});
