import { MAX_EXPIRY_TIME } from './constants.js';
import { InvalidOptionError } from './errors.js';
import { looksLikeSecret } from './redact.js';

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

// Lacework sub-account names: letters, digits, `-`, `_` and `.` (the console's own rule for names).
const SUB_ACCOUNT = /^[A-Za-z0-9][\w.-]{0,99}$/;

/**
 * True for a usable sub-account name (sent as `Account-Name`): letters, digits, `-`, `_` and `.`,
 * starting with a letter or digit, at most 100 characters, and not shaped like an API secret.
 */
export function isSubAccountName(value: unknown): value is string {
  return typeof value === 'string' && SUB_ACCOUNT.test(value) && !looksLikeSecret(value);
}

/**
 * Checks a sub-account name (see {@link isSubAccountName}) and returns it. The value never appears
 * in the message: a secret pasted into the wrong setting must not come back.
 *
 * @param where - where the value came from, for the message (`LW_SUBACCOUNT`, a key file, …)
 */
export function validateSubAccount(value: unknown, name = 'subAccount', where = ''): string {
  const setting = where ? `\`${name}\` (${where})` : `\`${name}\``;
  if (looksLikeSecret(value)) {
    throw new InvalidOptionError(
      `${setting} looks like an API secret (it starts with \`_\`), so it is not shown; set it to the sub-account name, e.g. \`acme-dev\`.`,
      { option: name },
    );
  }
  validateHeaderValue(value, name, where);
  if (!isSubAccountName(value)) {
    throw new InvalidOptionError(
      `${setting} must be a sub-account name (letters, digits, -, _ and . only, at most 100), got ${typeof value === 'string' ? `a value of ${value.length} characters, not shown` : describe(value)}.`,
      { option: name },
    );
  }
  return value;
}
