// Helpers shared by the benchmarks: results directory, medians, machine description, emulator key.
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where results go: bench/results/, or LW_BENCH_RESULTS_DIR (the canary sweep uses a temp dir). */
export const resultsDir =
  process.env.LW_BENCH_RESULTS_DIR ?? fileURLToPath(new URL('../results/', import.meta.url));

/** Writes `bench/results/<name>.json` with the machine it ran on. */
export async function writeResult(name, data) {
  await mkdir(resultsDir, { recursive: true });
  const file = join(resultsDir, `${name}.json`);
  await writeFile(
    file,
    `${JSON.stringify({ benchmark: name, date: new Date().toISOString(), machine: machine(), ...data }, null, 2)}\n`,
  );
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
