import type { ProviderOverrides } from './consumers.js';
import { EXPECTED, matches } from './expected.js';
import { FAULTS, type FaultCase } from './faults.js';
import {
  applies,
  type Cell,
  type CellResult,
  CONSUMERS,
  type ConsumerName,
  cellText,
  runCell,
  runCells,
  table,
} from './matrix.js';

/** A cell with what it saw and what the packages document. */
export interface Checked extends Cell {
  seen: string;
  expected: string;
  ok: boolean;
  exchanges: number;
}

export interface MatrixOptions {
  consumers?: readonly ConsumerName[];
  faults?: readonly FaultCase[];
  persistent?: readonly boolean[];
  overrides?: ProviderOverrides;
  concurrency?: number;
}

/** Runs the fault matrix and checks every cell against EXPECTED. */
export async function runMatrix(options: MatrixOptions = {}): Promise<Checked[]> {
  const consumers = options.consumers ?? CONSUMERS.map((c) => c.name);
  const cells: Cell[] = [];
  for (const persistent of options.persistent ?? [false, true]) {
    for (const fault of options.faults ?? FAULTS) {
      for (const consumer of consumers) {
        if (applies(consumer, fault, persistent)) cells.push({ consumer, fault, persistent });
      }
    }
  }
  const results = await runCells(cells, options.concurrency ?? 6, (cell) =>
    runCell(cell, options.overrides).catch(
      (error: Error): CellResult => ({ first: `threw: ${error.message}`, exchanges: -1 }),
    ),
  );
  return cells.map((cell, i) => {
    const result = results[i] as CellResult;
    const pair = EXPECTED[cell.fault.name]?.[cell.consumer];
    const expected = pair?.[cell.persistent ? 1 : 0] ?? '(nothing documented)';
    const seen = cellText(result);
    return {
      ...cell,
      seen,
      expected,
      exchanges: result.exchanges,
      ok: matches(expected, seen),
    };
  });
}

/** The matrix as a table: one row per fault, one column per consumer; ✗ marks a miss. */
export function matrixTable(checked: readonly Checked[]): string {
  const consumers = CONSUMERS.filter((c) => checked.some((x) => x.consumer === c.name));
  const rows: string[][] = [];
  for (const persistent of [false, true]) {
    for (const fault of FAULTS) {
      const row = checked.filter((x) => x.fault === fault && x.persistent === persistent);
      if (row.length === 0) continue;
      rows.push([
        `${fault.name}${persistent ? ', every time' : ', once'}`,
        ...consumers.map((c) => {
          const cell = row.find((x) => x.consumer === c.name);
          if (!cell) return '—';
          return cell.ok ? `✓ ${cell.seen}` : `✗ ${cell.seen} (want ${cell.expected})`;
        }),
      ]);
    }
  }
  return table(['fault', ...consumers.map((c) => c.label)], rows);
}
