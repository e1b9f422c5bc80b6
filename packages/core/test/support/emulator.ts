import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { type Emulator, type EmulatorOptions, startEmulator } from '@lacework-auth/emulator';
import { expect, onTestFinished } from 'vitest';
import type { LaceworkAuthError } from '../../src/protocol/errors.js';
import {
  createTokenProvider,
  type TokenProviderOptions,
} from '../../src/provider/token-provider.js';

/** A secret whose appearance anywhere in output means a leak. */
export const CANARY_SECRET = '_canary_core_5eb1f0c2d9a84e7b93c1a6f0d2e4b8c7';
export const CANARY_KEY_ID = 'CANARY_CORE_0123456789ABCDEF0123456789ABCDEF0123';

/** Registers cleanup for the current test; concurrent tests must pass their context's hook. */
export type OnFinished = (fn: () => Promise<void>) => void;

/** Starts an emulator on a random port, closed when the test finishes. */
export async function emulator(
  options?: EmulatorOptions,
  onFinished: OnFinished = onTestFinished,
): Promise<Emulator> {
  const emu = await startEmulator(options);
  onFinished(async () => {
    await emu.close();
  });
  return emu;
}

/** A canary key the emulator accepts, so secrets can be traced through successful paths too. */
export async function canaryEmulator(
  options: EmulatorOptions = {},
  onFinished: OnFinished = onTestFinished,
): Promise<Emulator> {
  return emulator(
    {
      ...options,
      keys: [{ keyId: CANARY_KEY_ID, secret: CANARY_SECRET, subAccounts: ['canary-sub'] }],
    },
    onFinished,
  );
}

/** A temporary directory removed when the test finishes. */
export async function tempDir(
  prefix = 'lw-core-',
  onFinished: OnFinished = onTestFinished,
): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  onFinished(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  return dir;
}

/** A token provider for the emulator's first key, ignoring the environment. */
export function providerFor(emu: Emulator, options: TokenProviderOptions = {}) {
  const key = emu.keys[0];
  if (!key) throw new Error('emulator has no key');
  return createTokenProvider({
    baseUrl: emu.url,
    keyId: key.keyId,
    secret: key.secret,
    env: {},
    retry: 0,
    ...options,
  });
}

/** The rejection of `promise` (fails the test when it resolves). */
export async function rejectionOf(promise: Promise<unknown>): Promise<LaceworkAuthError> {
  try {
    await promise;
  } catch (error) {
    return error as LaceworkAuthError;
  }
  throw new Error('expected a rejection');
}

/** The error thrown synchronously by `fn`. */
export function thrownBy(fn: () => unknown): LaceworkAuthError {
  try {
    fn();
  } catch (error) {
    return error as LaceworkAuthError;
  }
  throw new Error('expected a throw');
}

/** Every way an error can reach a log: message, stack, inspect, JSON, String, cause chain. */
export function renderings(error: unknown): string {
  const parts: string[] = [inspect(error, { depth: 10, showHidden: true })];
  let current: unknown = error;
  for (let depth = 0; depth < 6 && current; depth++) {
    if (current instanceof Error) {
      parts.push(String(current), current.message, current.stack ?? '');
      try {
        parts.push(JSON.stringify(current));
      } catch {
        parts.push('[unserializable]');
      }
      parts.push(inspect({ ...current }, { depth: 10, showHidden: true }));
      current = current.cause;
    } else {
      parts.push(String(current));
      current = undefined;
    }
  }
  return parts.join('\n');
}

/** Asserts that none of `secrets` appears in any rendering of `error`. */
export function expectNoSecrets(error: unknown, secrets: readonly string[]): void {
  const text = renderings(error);
  for (const secret of secrets) expect(text).not.toContain(secret);
}

/** Requests the emulator saw on a route. */
export function routeRequests(emu: Emulator, route: 'token' | 'api' | 'echo' | 'other') {
  return emu.requests().filter((entry) => entry.route === route);
}
