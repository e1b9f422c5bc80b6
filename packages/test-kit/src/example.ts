import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Emulator, type EmulatorOptions, startEmulator } from '@lacework-auth/emulator';
import type { OnFinished } from './cleanup.js';
import { emulatorFixture, keyOptions } from './emulator.js';
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

/** The LW_* variables of the Lacework CLI, when the key and an account or URL are all set. */
export interface LaceworkEnv {
  /** LW_ACCOUNT */
  account: string | undefined;
  /** LW_API_SERVER_URL */
  apiServerUrl: string | undefined;
  /** LW_API_KEY */
  keyId: string;
  /** LW_API_SECRET */
  secret: string;
  /** LW_SUBACCOUNT */
  subAccount: string | undefined;
}

/**
 * An example's `node src/main.js`: does nothing unless `moduleUrl` (the example's
 * `import.meta.url`) is the script node was started with. Then, with LW_API_KEY, LW_API_SECRET
 * and LW_ACCOUNT or LW_API_SERVER_URL set, runs `modes.lacework` against that account; otherwise
 * starts the embedded emulator, runs `modes.emulator` with its key, says how many token exchanges
 * the emulator served, and stops it. A failure is printed (its message only) with exit code 1.
 * Lines go to the console, prefixed with the example's `name`.
 */
export function runAsScript<T>(
  moduleUrl: string,
  name: string,
  modes: {
    lacework: (env: LaceworkEnv) => Promise<T>;
    emulator: (key: { baseUrl: string; keyId: string; secret: string }) => Promise<T>;
    emulatorOptions?: EmulatorOptions;
  },
): void {
  if (!isMainScript(moduleUrl)) return;
  const { LW_ACCOUNT, LW_API_SERVER_URL, LW_API_KEY, LW_API_SECRET, LW_SUBACCOUNT } = process.env;
  const run =
    LW_API_KEY && LW_API_SECRET && (LW_ACCOUNT || LW_API_SERVER_URL)
      ? modes.lacework({
          account: LW_ACCOUNT || undefined,
          apiServerUrl: LW_API_SERVER_URL || undefined,
          keyId: LW_API_KEY,
          secret: LW_API_SECRET,
          subAccount: LW_SUBACCOUNT || undefined,
        })
      : withDemoEmulator(name, modes.emulator, modes.emulatorOptions);
  run.catch((error: unknown) => {
    console.error(`${name}: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  });
}

/**
 * Whether `moduleUrl` is the script node was started with. Node resolves symlinks in module URLs
 * but not in `argv[1]`: a script started through a symlink (a linked checkout, a package's
 * directory in node_modules) would otherwise do nothing and exit 0.
 */
function isMainScript(moduleUrl: string): boolean {
  const started = process.argv[1];
  if (!started) return false;
  const module = fileURLToPath(moduleUrl);
  if (module === started) return true;
  try {
    return realpathSync(module) === realpathSync(started);
  } catch {
    return false;
  }
}

async function withDemoEmulator<T>(
  name: string,
  run: (key: { baseUrl: string; keyId: string; secret: string }) => Promise<T>,
  options: EmulatorOptions = {},
): Promise<T> {
  const emulator = await startEmulator(options);
  try {
    console.log(`${name}: no LW_* credentials set; using a local emulator at ${emulator.url}`);
    const result = await run(keyOptions(emulator));
    console.log(`${name}: the emulator counted ${emulator.stats().exchanges} token exchange(s)`);
    return result;
  } finally {
    await emulator.close();
  }
}
