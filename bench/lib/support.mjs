// Helpers shared by the benchmarks: options, results directory, medians, machine description,
// emulator key.
import { fork } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

/**
 * The script's `--name <value>` options, one per entry of `defaults`: a number default makes the
 * option a number (anything else is refused), a string default or `undefined` leaves it a string.
 * Unknown options are refused, as parseArgs does.
 *
 * @example const { rounds, cases } = benchOptions({ rounds: 6, cases: 'a,b' });
 */
export function benchOptions(defaults) {
  const { values } = parseArgs({
    options: Object.fromEntries(Object.keys(defaults).map((name) => [name, { type: 'string' }])),
  });
  return Object.fromEntries(
    Object.entries(defaults).map(([name, fallback]) => {
      const given = values[name];
      if (given === undefined || typeof fallback !== 'number') return [name, given ?? fallback];
      const number = Number(given);
      if (given.trim() === '' || !Number.isFinite(number)) {
        throw new Error(`--${name} takes a number, e.g. --${name} ${fallback}`);
      }
      return [name, number];
    }),
  );
}

/** Where results go: bench/results/, or LW_BENCH_RESULTS_DIR (the canary sweep uses a temp dir). */
export const resultsDir =
  process.env.LW_BENCH_RESULTS_DIR ?? fileURLToPath(new URL('../results/', import.meta.url));

/** What every result file starts with: the benchmark's name, the date and the machine. */
export function resultHeader(name) {
  return { benchmark: name, date: new Date().toISOString(), machine: machine() };
}

/** Writes `bench/results/<name>.json`, {@link resultHeader} first; returns its path. */
export async function writeResult(name, data) {
  await mkdir(resultsDir, { recursive: true });
  const file = join(resultsDir, `${name}.json`);
  await writeFile(file, `${JSON.stringify({ ...resultHeader(name), ...data }, null, 2)}\n`);
  return file;
}

export function machine() {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    model: cpus[0]?.model ?? 'unknown',
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    loadavg: os.loadavg().map((n) => Number(n.toFixed(2))),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
  };
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Emulator keys: a generated one, or LW_BENCH_KEY_ID / LW_BENCH_SECRET when set (the canary sweep
 * runs the benches with a canary secret and searches their output for it).
 */
export function emulatorKeys() {
  const { LW_BENCH_KEY_ID: keyId, LW_BENCH_SECRET: secret } = process.env;
  return keyId && secret ? [{ keyId, secret }] : undefined;
}

/** `--quick`: reduced sizes for development and the canary sweep. */
export const quick = process.argv.includes('--quick');

/**
 * Forks `script` (stdout and stderr shared, an IPC channel): `ready` resolves with the first
 * message it sends, and rejects if it exits before sending one.
 */
export function forkReady(script, args = []) {
  const child = fork(script, args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const ready = new Promise((resolve, reject) => {
    child.once('message', resolve);
    child.once('exit', (code) => reject(new Error(`${basename(script)} exited with ${code}`)));
  });
  return { child, ready };
}
