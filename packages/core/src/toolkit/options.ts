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

/** Rejects option names that are not in `known` (typos would otherwise be ignored silently). */
export function assertKnownOptions(
  options: object,
  known: readonly string[],
  factory: string,
): void {
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      // The name is user input too (a secret can end up as a key): shown only when it looks like
      // an option name.
      const option = isShown(key, SAFE_INPUT.name) ? key : undefined;
      const suggestion = known.find((name) => name.toLowerCase() === key.toLowerCase());
      const hint = suggestion
        ? ` Did you mean \`${suggestion}\`?`
        : ` Known options: ${known.join(', ')}.`;
      const named = showInput(key, SAFE_INPUT.name, 'code');
      throw new InvalidOptionError(`\`${factory}\` got an unknown option ${named}.${hint}`, {
        option,
        suggestion,
        knownOptions: known,
      });
    }
  }
}

/** Checks that `options` is undefined or a plain object. */
export function assertOptionsObject(options: unknown, factory: string): Record<string, unknown> {
  if (options === undefined) return {};
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new InvalidOptionError(
      `\`${factory}\` options must be an object, got ${describe(options)}.`,
    );
  }
  return options as Record<string, unknown>;
}
