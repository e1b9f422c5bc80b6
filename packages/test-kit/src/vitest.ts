// The test-kit for vitest: fixtures clean up with `onTestFinished` (pass the test context's own
// hook in concurrent tests), and leak checks are vitest assertions.

import type { Server } from 'node:http';
import type { Emulator, EmulatorOptions } from '@lacework-auth/emulator';
import { afterAll, beforeEach, expect, onTestFinished } from 'vitest';
import type { OnFinished } from './cleanup.js';
import { canaryEmulatorFixture, emulatorFixture } from './emulator.js';
import { listenFixture } from './listen.js';
import {
  type RecordedRequest,
  type ScriptedAnswer,
  scriptedServerFixture,
} from './scripted-server.js';
import { leakedPieces } from './secrets.js';
import { tempDirFixture } from './temp-dir.js';

export * from './index.js';

/** Starts an emulator on a random port, closed when the test finishes. */
export function emulator(
  options?: EmulatorOptions,
  onFinished: OnFinished = onTestFinished,
): Promise<Emulator> {
  return emulatorFixture(onFinished, options);
}

/**
 * An emulator shared by the tests of a file (await it at the file's top level): its stats and
 * faults are reset before each test and it is closed after the last one.
 */
export async function sharedEmulator(options?: EmulatorOptions): Promise<Emulator> {
  const shared = await emulatorFixture(afterAll, options);
  beforeEach(() => {
    shared.resetStats();
    shared.clearFaults();
  });
  return shared;
}

/** An emulator whose only key is the canary key. */
export function canaryEmulator(
  options?: EmulatorOptions,
  onFinished: OnFinished = onTestFinished,
): Promise<Emulator> {
  return canaryEmulatorFixture(onFinished, options);
}

/** A temporary directory removed when the test finishes. */
export function tempDir(prefix = 'lw-test-', onFinished: OnFinished = onTestFinished) {
  return tempDirFixture(onFinished, prefix);
}

/** Listens with `server` on a random loopback port (see `listenFixture`), closed when the test finishes. */
export function listen(server: Server, onFinished: OnFinished = onTestFinished) {
  return listenFixture(onFinished, server);
}

/** A scripted loopback server (see `scriptedServerFixture`), closed when the test finishes. */
export function scriptedServer(
  answer: (request: RecordedRequest) => ScriptedAnswer,
  onFinished: OnFinished = onTestFinished,
) {
  return scriptedServerFixture(onFinished, answer);
}

/** Asserts that no piece (8+ characters, any case) of `secrets` appears in any rendering of `value`. */
export function expectNoSecrets(value: unknown, secrets: readonly string[]): void {
  expect(leakedPieces(value, secrets)).toEqual([]);
}

/** The rejection of `promise` (fails the test when it resolves). */
export async function rejectionOf<E = Error & { code?: string }>(
  promise: Promise<unknown>,
): Promise<E> {
  try {
    await promise;
  } catch (error) {
    return error as E;
  }
  throw new Error('expected a rejection');
}

/** The error thrown synchronously by `fn`. */
export function thrownBy<E = Error & { code?: string }>(fn: () => unknown): E {
  try {
    fn();
  } catch (error) {
    return error as E;
  }
  throw new Error('expected a throw');
}
