import { MAX_EXPIRY_TIME } from './constants.js';
import { InvalidOptionError } from './errors.js';
import { isShown, SAFE_INPUT, showInput } from './redact.js';

/**
 * Checks a token lifetime in seconds (integer from 1 to 86400) and returns it.
 *
 * @param name - the option name used in the error message
 * @throws {InvalidOptionError} `ERR_LW_INVALID_OPTION`
 * @example
 * ```ts
 * validateExpiryTime(Number(process.env.EXPIRY ?? 3600));
 * ```
 */
export function validateExpiryTime(value: unknown, name = 'expiryTime'): number {
  if (
    typeof value !== 'number' ||
    !Number.isInteger(value) ||
    value < 1 ||
    value > MAX_EXPIRY_TIME
  ) {
    throw new InvalidOptionError(
      `\`${name}\` must be an integer from 1 to ${MAX_EXPIRY_TIME} (seconds), got ${describe(value)}.`,
      { option: name },
    );
  }
  return value;
}

/** A short, secret-free description of a value for error messages. */
export function describe(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  if (typeof value === 'string') return value.length === 0 ? 'an empty string' : 'a string';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

// CR/LF and other control characters would let a value smuggle extra headers, and fetch would
// throw a TypeError that echoes the value (the secret) back.
// biome-ignore lint/suspicious/noControlCharactersInRegex: that is the point
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;

/**
 * Checks that `value` is a non-empty string usable as an HTTP header value: no CR, LF or other
 * control characters, no leading/trailing spaces. The value itself never appears in the message.
 */
export function validateHeaderValue(value: unknown, name: string, where = ''): string {
  const suffix = where ? ` (${where})` : '';
  if (typeof value !== 'string' || value.length === 0) {
    throw new InvalidOptionError(
      `\`${name}\`${suffix} must be a non-empty string, got ${describe(value)}.`,
      { option: name },
    );
  }
  if (CONTROL_CHARS.test(value)) {
    throw new InvalidOptionError(
      `\`${name}\`${suffix} contains a control character (CR, LF, tab, ...). It would corrupt HTTP headers; copy the value again without line breaks.`,
      { option: name },
    );
  }
  if (value.trim() !== value) {
    throw new InvalidOptionError(
      `\`${name}\`${suffix} has leading or trailing spaces; remove them.`,
      { option: name },
    );
  }
  if (/[^\x20-\x7e]/.test(value)) {
    throw new InvalidOptionError(
      `\`${name}\`${suffix} contains non-ASCII characters, which HTTP headers cannot carry.`,
      { option: name },
    );
  }
  return value;
}

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
