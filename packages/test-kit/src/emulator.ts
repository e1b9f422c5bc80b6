import { type Emulator, type EmulatorOptions, startEmulator } from '@lacework-auth/emulator';
import type { OnFinished } from './cleanup.js';
import { CANARY_KEY_ID, CANARY_SECRET } from './secrets.js';

/** Starts the emulator on a random loopback port, closed when the test finishes. */
export async function emulatorFixture(
  onFinished: OnFinished,
  options?: EmulatorOptions,
): Promise<Emulator> {
  const emulator = await startEmulator(options);
  onFinished(() => emulator.close());
  return emulator;
}

/**
 * The emulator with the canary key as its only key (and sub-account `canary-sub`), so that the
 * secret can be traced through successful paths too.
 */
export function canaryEmulatorFixture(
  onFinished: OnFinished,
  options: EmulatorOptions = {},
): Promise<Emulator> {
  return emulatorFixture(onFinished, {
    ...options,
    keys: [{ keyId: CANARY_KEY_ID, secret: CANARY_SECRET, subAccounts: ['canary-sub'] }],
  });
}

/** The emulator's first key, as core's options take it. */
export function keyOptions(emulator: Emulator): { baseUrl: string; keyId: string; secret: string } {
  const key = emulator.keys[0];
  if (!key) throw new Error('the emulator has no key');
  return { baseUrl: emulator.url, keyId: key.keyId, secret: key.secret };
}
