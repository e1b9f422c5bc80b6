/** Replaces every occurrence of each value (4+ characters) in `text` with `[REDACTED]`. */
export function redactText(text: string, values: readonly (string | undefined)[]): string {
  let out = text;
  for (const value of values) {
    if (value && value.length >= 4) out = out.split(value).join('[REDACTED]');
  }
  return out;
}

/**
 * A short, recognisable prefix of a key ID for messages: `ACME_1234…`. Key IDs are not secret,
 * but a prefix is enough to tell keys apart and keeps logs short.
 */
export function keyIdHint(keyId: string): string {
  const clean = keyId.replace(/[^\x20-\x7e]/g, '?');
  return clean.length <= 10 ? clean : `${clean.slice(0, 10)}…`;
}
