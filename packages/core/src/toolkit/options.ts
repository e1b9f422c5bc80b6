import { InvalidOptionError } from '../protocol/errors.js';
import { isShown, SAFE_INPUT, showInput } from '../protocol/redact.js';
import { describe } from '../protocol/validate.js';

/** Checks an optional boolean option. */
export function validateBoolean(value: unknown, name: string): boolean | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean') {
    throw new InvalidOptionError(`\`${name}\` must be a boolean, got ${describe(value)}.`, {
      option: name,
    });
  }
  return value;
}

/** Checks an optional non-negative finite number of milliseconds. */
export function validateMs(value: unknown, name: string, { min = 0, max = 2_147_483_647 } = {}) {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw new InvalidOptionError(
      `\`${name}\` must be a number of milliseconds from ${min} to ${max}, got ${describe(value)}.`,
      { option: name },
    );
  }
  return value;
}

/** Checks an optional non-negative integer (retry counts). */
export function validateCount(value: unknown, name: string, max = 10): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > max) {
    throw new InvalidOptionError(
      `\`${name}\` must be an integer from 0 to ${max}, got ${describe(value)}.`,
      { option: name },
    );
  }
  return value;
}

/**
 * What `InvalidOptionError.option` holds for an unknown option whose name is not shown (it looks
 * like a secret pasted as a key): the name itself is never repeated.
 */
export const HIDDEN_OPTION = '(not shown)';

/**
 * The known name `name` was probably meant as: the same name in another case, else the closest
 * one at most two edits away (a letter added, dropped, changed or two swapped), if only one is.
 *
 * @example
 * ```ts
 * closestName('expirytime', ['expiryTime', 'timeout']); // 'expiryTime'
 * closestName('attempt', ['attempts', 'minDelayMs']);  // 'attempts'
 * ```
 */
export function closestName(name: string, known: readonly string[]): string | undefined {
  const lower = name.toLowerCase();
  const sameCase = known.find((candidate) => candidate.toLowerCase() === lower);
  if (sameCase !== undefined || lower.length < 4) return sameCase;
  let best: string | undefined;
  let bestDistance = 3;
  let tie = false;
  for (const candidate of known) {
    const distance = editDistance(lower, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
      tie = false;
    } else if (distance === bestDistance) {
      tie = true;
    }
  }
  return tie ? undefined : best;
}

/** Optimal string alignment distance: insertions, deletions, substitutions, adjacent swaps. */
function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3;
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      if (i === 0) {
        row.push(j);
        continue;
      }
      const above = rows[i - 1] as number[];
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(
        (above[j] as number) + 1,
        (row[j - 1] as number) + 1,
        (above[j - 1] as number) + cost,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        value = Math.min(value, ((rows[i - 2] as number[])[j - 2] as number) + 1);
      }
      row.push(value);
    }
    rows.push(row);
  }
  return (rows[a.length] as number[])[b.length] as number;
}

/**
 * The error for an unknown option `key` of `factory`: names it when it looks like an option name
 * (else {@link HIDDEN_OPTION}: a secret can end up as a key), suggests the known option it was
 * probably meant as, else lists them all.
 */
export function unknownOptionError(
  key: string,
  known: readonly string[],
  factory: string,
  extra: { cause?: unknown } = {},
): InvalidOptionError {
  const shown = isShown(key, SAFE_INPUT.name);
  const suggestion = closestName(key, known);
  const hint = suggestion
    ? ` Did you mean \`${suggestion}\`?`
    : ` Known options: ${known.join(', ')}.`;
  const named = showInput(key, SAFE_INPUT.name, 'code');
  return new InvalidOptionError(`\`${factory}\` got an unknown option ${named}.${hint}`, {
    option: shown ? key : HIDDEN_OPTION,
    suggestion,
    knownOptions: known,
    ...extra,
  });
}

/** Rejects option names that are not in `known` (typos would otherwise be ignored silently). */
export function assertKnownOptions(
  options: object,
  known: readonly string[],
  factory: string,
): void {
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) throw unknownOptionError(key, known, factory);
  }
}

/** Checks that `options` is undefined or a plain object (`option` of the error: `options`). */
export function assertOptionsObject(options: unknown, factory: string): Record<string, unknown> {
  if (options === undefined) return {};
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new InvalidOptionError(
      `\`${factory}\` options must be an object, got ${describe(options)}.`,
      { option: 'options' },
    );
  }
  return options as Record<string, unknown>;
}

/** Checks an optional function option. */
export function validateFunction<T>(value: T | undefined, name: string): T | undefined {
  if (value !== undefined && typeof value !== 'function') {
    throw new InvalidOptionError(`\`${name}\` must be a function, got ${describe(value)}.`, {
      option: name,
    });
  }
  return value;
}

/** Checks an optional integer option within `[min, max]` (`max` may be `Infinity`). */
export function validateInteger(
  value: unknown,
  name: string,
  { min, max, unit }: { min: number; max: number; unit: string },
): number | undefined {
  if (value === undefined) return undefined;
  if (value === Number.POSITIVE_INFINITY && max === Number.POSITIVE_INFINITY) return value;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const range =
      max === Number.POSITIVE_INFINITY ? `>= ${min} (or Infinity)` : `from ${min} to ${max}`;
    throw new InvalidOptionError(
      `\`${name}\` must be an integer ${range} (${unit}), got ${describe(value)}.`,
      { option: name },
    );
  }
  return value;
}
