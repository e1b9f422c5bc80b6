// Error messages quote what the user typed only when it is short and of the shape the setting
// expects. Anything else may be an API secret pasted into the wrong place (Lacework secrets start
// with `_`), with or without characters around it, and is described instead: its length and
// what is wrong with it, never its text.

/** Letters, digits and `. : / -`, up to 40 characters: no `_`, so no Lacework secret. */
const PLAIN = /^[A-Za-z0-9][A-Za-z0-9 .:/-]{0,39}$/;

/** An underscore followed by 12 or more letters or digits: the look of an API secret. */
const SECRET_LIKE = /_[A-Za-z0-9]{12,}/;

/**
 * `value` in double quotes when it matches `shape` (default: plain words, no `_`) and does not
 * look like a secret; otherwise a description such as `a string of 37 characters (not shown)`.
 */
export function shown(value: unknown, shape: RegExp = PLAIN): string {
  if (typeof value === 'string') {
    if (shape.test(value) && !SECRET_LIKE.test(value)) return JSON.stringify(value);
    return value === '' ? 'an empty string' : `a string of ${value.length} characters (not shown)`;
  }
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'not a number';
  if (typeof value === 'boolean' || value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return 'an array';
  return `a${typeof value === 'object' ? 'n' : ''} ${typeof value}`;
}

/** A file path: quoted unless it is long, has control characters or looks like a secret. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters
export const PATH_SHAPE = /^[^\u0000-\u001f\u007f]{1,200}$/;

/**
 * A key ID's first characters, `ACME_1234…`, or nothing of it when it looks like a secret: it
 * starts with `_`, has unusual characters, or holds 8 characters of `secret` in a row.
 */
export function keyIdHint(keyId: string, secret = ''): string {
  const lower = keyId.toLowerCase();
  let echoes = false;
  for (let i = 0; i + 8 <= secret.length && !echoes; i += 1) {
    echoes = lower.includes(secret.slice(i, i + 8).toLowerCase());
  }
  if (echoes || keyId.startsWith('_') || !/^[A-Za-z0-9][\w.-]*$/.test(keyId)) {
    return '(key ID not shown: it looks like a secret or has unusual characters)';
  }
  return keyId.length > 12 ? `${keyId.slice(0, 12)}…` : keyId;
}

/**
 * `text` with every run of 8 or more characters that also occurs (in any case) in one of the
 * secret-looking `inputs` replaced by `[not shown]`: a last guard for messages built elsewhere
 * (core's) that may quote what was typed.
 */
export function withoutEchoes(text: string, inputs: readonly (string | undefined)[]): string {
  const grams = new Set<string>();
  for (const input of inputs) {
    if (!input || !SECRET_LIKE.test(input)) continue;
    const lower = input.toLowerCase();
    for (let i = 0; i + 8 <= lower.length; i += 1) grams.add(lower.slice(i, i + 8));
  }
  const lower = text.toLowerCase();
  const hidden = new Array<boolean>(text.length).fill(false);
  for (let i = 0; i + 8 <= lower.length; i += 1) {
    if (grams.has(lower.slice(i, i + 8))) hidden.fill(true, i, i + 8);
  }
  let result = '';
  for (let i = 0; i < text.length; i += 1) {
    if (!hidden[i]) result += text[i];
    else if (!hidden[i - 1]) result += '[not shown]';
  }
  return result;
}
