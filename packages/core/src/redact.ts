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

/**
 * A short, recognisable prefix of a key ID for messages: `ACME_1234…`. Key IDs are not secret,
 * but a prefix is enough to tell keys apart and keeps logs short. A key ID that looks like a
 * secret (keyId and secret swapped) is not shown at all.
 */
export function keyIdHint(keyId: string): string {
  if (looksLikeSecret(keyId)) {
    return '(hidden: it looks like an API secret; are keyId and secret swapped?)';
  }
  const clean = keyId.replace(/[^\x20-\x7e]/g, '?');
  return clean.length <= 10 ? clean : `${clean.slice(0, 10)}…`;
}
