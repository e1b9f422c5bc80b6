import { type Emulator, startEmulator } from '@lacework-auth/emulator';
import { CANARY_KEY, transcript } from './canary.js';
import {
  ATTEMPT_TIMEOUT_MS,
  type Attempter,
  coreClient,
  expressProxy,
  expressRoute,
  type Outcome,
  type ProviderOverrides,
  tokenCli,
} from './consumers.js';
import { applyFault, type FaultCase } from './faults.js';
import { type ItemResult, runNewman } from './newman.js';
import { sleep } from './servers.js';

export type ConsumerName = 'core' | 'cli' | 'newman' | 'route' | 'proxy';

export const CONSUMERS: readonly { name: ConsumerName; label: string }[] = [
  { name: 'core', label: 'core client' },
  { name: 'cli', label: 'lacework-token' },
  { name: 'newman', label: 'Postman (newman)' },
  { name: 'route', label: 'laceworkAuth route' },
  { name: 'proxy', label: 'laceworkProxy' },
];

/**
 * What a cell saw: the first attempt after the fault, and (for a one-off fault) the next attempt,
 * made after RECOVERY_WAIT_MS when the first failed. `second` is absent for persistent faults.
 */
export interface CellResult {
  first: Outcome;
  second?: Outcome;
  exchanges: number;
}

/** Longer than core's first no-token backoff (1 s) and a `Retry-After: 1`. */
export const RECOVERY_WAIT_MS = 1300;

export interface Cell {
  consumer: ConsumerName;
  fault: FaultCase;
  persistent: boolean;
}

/** Whether a consumer meets this fault at all (the CLI never calls the API). */
export function applies(consumer: ConsumerName, fault: FaultCase, persistent: boolean): boolean {
  if (consumer === 'cli' && fault.route === 'api') return false;
  if (persistent && fault.fault === 'revoke') return false;
  return true;
}

const ATTEMPTERS: Record<
  Exclude<ConsumerName, 'newman'>,
  (emu: Emulator, overrides?: ProviderOverrides) => Promise<Attempter>
> = { core: coreClient, cli: tokenCli, route: expressRoute, proxy: expressProxy };

/**
 * Runs one cell against a fresh emulator (rate limit off, so only the injected fault fails).
 * API faults are injected after a first, clean call (a token is cached); token faults meet a
 * cold consumer, so its first exchange is the one that fails.
 */
export async function runCell(cell: Cell, overrides?: ProviderOverrides): Promise<CellResult> {
  const emu = await startEmulator({ rateLimit: false, keys: [CANARY_KEY] });
  try {
    const run =
      cell.consumer === 'newman'
        ? await newmanCell(emu, cell)
        : await attemptCell(emu, cell, await ATTEMPTERS[cell.consumer](emu, overrides));
    return { ...run, exchanges: emu.stats().exchanges };
  } finally {
    await emu.close();
  }
}

async function attemptCell(emu: Emulator, cell: Cell, consumer: Attempter) {
  try {
    if (cell.fault.route === 'api') {
      const warm = await consumer.attempt();
      if (warm !== 'ok') throw new Error(`${cell.consumer}: the clean first call gave ${warm}`);
    }
    applyFault(emu, cell.fault, cell.persistent);
    const first = await consumer.attempt();
    if (cell.persistent) return { first };
    if (first !== 'ok') await sleep(RECOVERY_WAIT_MS);
    return { first, second: await consumer.attempt() };
  } finally {
    await consumer.close();
  }
}

async function newmanCell(emu: Emulator, cell: Cell) {
  const warm = cell.fault.route === 'api';
  const items = [...(warm ? ['warm'] : []), 'first', ...(cell.persistent ? [] : ['second'])];
  if (!warm) applyFault(emu, cell.fault, cell.persistent);
  const run = await runNewman({
    emu,
    cli: true,
    items,
    delayRequest: RECOVERY_WAIT_MS,
    timeoutRequest: ATTEMPT_TIMEOUT_MS,
    afterItem: (name) => {
      if (name === 'warm') applyFault(emu, cell.fault, cell.persistent);
    },
  });
  transcript.push(...run.items.flatMap((item) => item.failures));
  const outcome = (name: string) => {
    const item = run.items.find((i) => i.name === name);
    return item ? newmanOutcome(item) : 'not run';
  };
  if (warm && outcome('warm') !== 'ok') throw new Error(`newman: warm-up gave ${outcome('warm')}`);
  return cell.persistent
    ? { first: outcome('first') }
    : { first: outcome('first'), second: outcome('second') };
}

const SCRIPT_FAILURES: [RegExp, string][] = [
  [/rejected the API key/, 'KEY_REJECTED'],
  [/rate limit reached/, 'RATE_LIMITED'],
  [/could not reach/, 'NETWORK'],
  [/token endpoint failed \(HTTP/, 'SERVER'],
  [
    /instead of JSON|without a token|without a valid `expiresAt`|endpoint answered HTTP/,
    'BAD_RESPONSE',
  ],
  [/freshly exchanged token/, 'UNAUTHORIZED'],
];

/** A newman item as an outcome: `ok`, the script's failure as a code, or what Lacework answered. */
function newmanOutcome(item: ItemResult): Outcome {
  const ours = item.failures.find((f) => f.startsWith('Lacework auth: '));
  if (ours) {
    const code = SCRIPT_FAILURES.find(([pattern]) => pattern.test(ours))?.[1];
    return code ?? `script: ${ours.slice(15, 60)}`;
  }
  if (item.requestError) return `net ${item.requestError}`;
  if (item.status === 200 && item.failures.length === 0) return 'ok';
  if (item.status !== undefined) return `HTTP ${item.status}`;
  return item.failures.length ? `failed: ${item.failures[0]?.slice(0, 40)}` : 'not sent';
}

/** Runs `cells` with at most `concurrency` at a time, in order of the input. */
export async function runCells<T>(
  cells: readonly T[],
  concurrency: number,
  run: (cell: T) => Promise<CellResult>,
): Promise<CellResult[]> {
  const results: CellResult[] = new Array(cells.length);
  let next = 0;
  const worker = async () => {
    while (next < cells.length) {
      const index = next++;
      results[index] = await run(cells[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, cells.length) }, worker));
  return results;
}

/** `first → second` (or `first` alone). */
export function cellText(result: Pick<CellResult, 'first' | 'second'>): string {
  return result.second === undefined ? result.first : `${result.first} → ${result.second}`;
}

/** A plain-text table: header row, then rows; columns padded to their widest cell. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join(' | ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('-|-'), ...rows.map(line)].join('\n');
}
