import type { Emulator, EmulatorOptions } from '@lacework-auth/emulator';
import type { OnFinished } from './cleanup.js';
import { emulatorFixture } from './emulator.js';
import { leakedPieces } from './secrets.js';

/** What every example's `run()` takes: where Lacework is, the key, and where to log. */
export interface ExampleInput {
  baseUrl: string;
  keyId: string;
  secret: string;
  log: (line: string) => void;
}

/**
 * The examples' shared setup: an emulator (closed when the test finishes), `prepare` to set it up
 * (faults, delays), the example's `run()` with the emulator's key and a log, and a check that the
 * secret never reached the log. Returns the summary, the log and the emulator for the test's own
 * assertions.
 */
export async function runExample<T>(
  onFinished: OnFinished,
  run: (input: ExampleInput) => Promise<T>,
  options: { emulator?: EmulatorOptions; prepare?: (emulator: Emulator) => void } = {},
): Promise<{ summary: T; output: string; emulator: Emulator; key: Emulator['keys'][number] }> {
  const emulator = await emulatorFixture(onFinished, options.emulator);
  const key = emulator.keys[0];
  if (!key) throw new Error('the emulator has no key');
  options.prepare?.(emulator);
  const lines: string[] = [];
  const summary = await run({
    baseUrl: emulator.url,
    keyId: key.keyId,
    secret: key.secret,
    log: (line) => lines.push(line),
  });
  const output = lines.join('\n');
  const leaked = leakedPieces(output, [key.secret]);
  if (leaked.length > 0) throw new Error('the example logged (part of) the API secret');
  return { summary, output, emulator, key };
}
