/**
 * Length of the shortest piece of a secret or token that counts as an echo of it. Shorter pieces
 * are too likely to occur by chance; longer ones would let a server that echoes half of a secret
 * (or prints it in another case) get past an exact match.
 */
export const ECHO_MIN_LENGTH = 8;

const REDACTED = '[REDACTED]';

/**
 * Replaces in `text` each value (4+ characters) and, for values of 8+ characters, every run of
 * 8+ characters that also occurs in the value, case-insensitively (a truncated, upper-cased or
 * partial echo), with `[REDACTED]`.
 */
export function redactText(text: string, values: readonly (string | undefined)[]): string {
  let out = text;
  for (const value of values) {
    if (value && value.length >= 4) out = out.split(value).join(REDACTED);
  }
  const covered = echoedRanges(out, values);
  if (covered.length === 0) return out;
  let result = '';
  let last = 0;
  for (const [start, end] of covered) {
    result += `${out.slice(last, start)}${REDACTED}`;
    last = end;
  }
  return result + out.slice(last);
}

/**
 * True when `text` contains any piece of 8+ characters of one of `values`, ignoring case: the
 * text echoes (part of) a secret or token.
 */
export function echoesSecret(text: string, values: readonly (string | undefined)[]): boolean {
  return echoedRanges(text, values).length > 0;
}

// ASCII only, so that indexes in the folded text are indexes in the original (secrets and tokens
// are header values, hence ASCII).
function foldCase(text: string): string {
  return text.replace(/[A-Z]/g, (c) => c.toLowerCase());
}

/** Merged [start, end) ranges of `text` covered by 8-character windows that occur in a value. */
function echoedRanges(text: string, values: readonly (string | undefined)[]): [number, number][] {
  const grams = new Set<string>();
  for (const value of values) {
    if (!value || value.length < ECHO_MIN_LENGTH) continue;
    const lower = foldCase(value);
    for (let i = 0; i + ECHO_MIN_LENGTH <= lower.length; i++) {
      grams.add(lower.slice(i, i + ECHO_MIN_LENGTH));
    }
  }
  if (grams.size === 0 || text.length < ECHO_MIN_LENGTH) return [];
  const lower = foldCase(text);
  const ranges: [number, number][] = [];
  for (let i = 0; i + ECHO_MIN_LENGTH <= lower.length; i++) {
    if (!grams.has(lower.slice(i, i + ECHO_MIN_LENGTH))) continue;
    const end = i + ECHO_MIN_LENGTH;
    const previous = ranges[ranges.length - 1];
    if (previous && previous[1] >= i) previous[1] = end;
    else ranges.push([i, end]);
  }
  return ranges;
}

/**
 * True when `value` has the shape of a Lacework API secret (`_` followed by 11+ more characters,
 * e.g. `_5ebf0c…`): a value given in the wrong setting (account, key ID) that must not be echoed.
 */
export function looksLikeSecret(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  const clean = value.trim().replace(/^["']/, '');
  return clean.startsWith('_') && clean.length >= 12;
}

// A secret's shape (`_` and 11+ letters or digits) at the start or after a character that cannot
// be part of a key ID or name (`ACME_1234… _5ebf…`, `` `_5ebf…` ``, `\_5ebf…`, `secret=_5ebf…`).
// Inside a word (`ACME_4A1F…`, a key ID's own `_`) it is not one.
const SECRET_IN_TEXT = /(?:^|[^A-Za-z0-9_-])_[A-Za-z0-9]{11,}/;

/**
 * {@link looksLikeSecret}, or a secret's shape after other text: the key ID pasted together with
 * its secret, a secret quoted from Markdown. For a setting that is written where it is called
 * safe to share (a Postman environment's key ID), where a key ID of Lacework's shape must pass.
 */
export function holdsSecret(value: unknown): boolean {
  return looksLikeSecret(value) || (typeof value === 'string' && SECRET_IN_TEXT.test(value));
}

// Lacework key IDs: an upper-case name, `_`, upper-case hex (`ACME_4A1F…`). Secrets are `_` and
// lower-case hex, so a key ID of this shape cannot hold one.
const KEY_ID_SHAPE = /^[A-Z0-9][A-Z0-9-]*(?:_[A-Z0-9-]+)*_[0-9A-F]{16,}$/;

/**
 * A short, recognisable prefix of a key ID for messages: `ACME_1234…`. Key IDs are not secret,
 * but a prefix is enough to tell keys apart and keeps logs short. Only a value shaped like a key
 * ID (or a short plain name) is shown: one that looks like a secret (keyId and secret swapped), or
 * holds other characters (a secret pasted with junk around it), is described, not shown.
 */
export function keyIdHint(keyId: string): string {
  if (looksLikeSecret(keyId)) {
    return '(hidden: it looks like an API secret; are keyId and secret swapped?)';
  }
  if (KEY_ID_SHAPE.test(keyId)) return `${keyId.slice(0, 10)}…`;
  if (keyId.length <= 10 && SAFE_INPUT.name.test(keyId)) return keyId;
  return `(hidden: ${keyId.length} characters that do not look like a Lacework key ID)`;
}

/** What a user-supplied value may look like to be quoted in a message (see {@link showInput}). */
export const SAFE_INPUT = {
  /** Account names, host names and `http(s)://host[:port]` without a path. */
  host: /^(?:https?:\/\/)?[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9.])?(?::\d{1,5})?\/?$/,
  /** Option, profile, table and sub-account names. */
  name: /^[A-Za-z0-9][A-Za-z0-9_.-]*$/,
  /** A command-line flag (`--profile`, `-x`), without a value. */
  flag: /^--?[A-Za-z][A-Za-z0-9-]*$/,
  /** An integer, as typed. */
  integer: /^[+-]?\d{1,12}$/,
  /** A file or directory path made of ordinary characters. */
  path: /^[A-Za-z0-9_.~/+ -]+$/,
} as const;

/** Longest value {@link showInput} quotes (paths: 160). */
const MAX_SHOWN = 40;
const MAX_SHOWN_PATH = 160;

/**
 * True when `value` holds something that could be a secret or token: Lacework's `_<11+ chars>`
 * shape anywhere in it (also after junk such as `x` or `acme `), or a run of 16+ letters and
 * digits mixing both (hex, base64), or of 32+ letters or digits.
 */
export function containsSecretLike(value: string): boolean {
  if (/_[A-Za-z0-9_-]{11,}/.test(value)) return true;
  for (const run of value.match(/[A-Za-z0-9+/=]{16,}/g) ?? []) {
    if (run.length >= 32 || (/[0-9]/.test(run) && /[A-Za-z]/.test(run))) return true;
  }
  return false;
}

/**
 * The one way a message shows a user-supplied value: quoted (`"acme.example.com"`) only when it
 * is a short string that matches `safe` (one of {@link SAFE_INPUT}) and holds nothing that could
 * be a secret ({@link containsSecretLike}); otherwise described by its length, never quoted
 * (`(a value of 57 characters, not shown)`). A secret pasted into the wrong setting, with extra
 * characters around it, then never reaches a message, a log or a terminal. `as` chooses how a
 * value that is shown is written: in double quotes, in backticks (`code`) or as is (`bare`).
 *
 * @example
 * ```ts
 * showInput('acme.example.com', SAFE_INPUT.host); // '"acme.example.com"'
 * showInput(`acme ${secret}`, SAFE_INPUT.host);   // '(a value of 38 characters, not shown)'
 * ```
 */
export function showInput(
  value: unknown,
  safe: RegExp,
  as: 'quoted' | 'code' | 'bare' = 'quoted',
): string {
  if (typeof value !== 'string') return `(${describeKind(value)})`;
  const max = safe === SAFE_INPUT.path ? MAX_SHOWN_PATH : MAX_SHOWN;
  if (value.length > 0 && value.length <= max && safe.test(value) && !containsSecretLike(value)) {
    if (as === 'code') return `\`${value}\``;
    return as === 'bare' ? value : JSON.stringify(value);
  }
  if (value.length === 0) return '(an empty string)';
  return `(a value of ${value.length} character${value.length === 1 ? '' : 's'}, not shown)`;
}

/** True when {@link showInput} shows `value` rather than describing it. */
export function isShown(value: unknown, safe: RegExp): boolean {
  return !showInput(value, safe).startsWith('(');
}

function describeKind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}
