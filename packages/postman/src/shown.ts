// Error messages quote what the user typed only when it is short and of the shape the setting
// expects: core's showInput (@lacework-auth/core/internal), with the shapes of this package's
// settings. Anything else may be an API secret pasted into the wrong place (Lacework secrets start
// with `_`), with or without characters around it, and is described instead.
import {
  containsSecretLike,
  keyIdHint as coreKeyIdHint,
  describe,
  echoesSecret,
  redactText,
  showInput,
} from '@lacework-auth/core/internal';

/** Letters, digits and `. : / -` (and spaces), up to 40 characters: no `_`, so no Lacework secret. */
const PLAIN = /^[A-Za-z0-9][A-Za-z0-9 .:/-]{0,39}$/;

/** A file path: quoted unless it is long, has control characters or looks like a secret. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters
export const PATH_SHAPE = /^[^\u0000-\u001f\u007f]{1,200}$/;

/**
 * `value` in double quotes when it is a string that matches `shape` (default: plain words, no
 * `_`) and holds nothing that looks like a secret; otherwise a description such as
 * `(a value of 37 characters, not shown)`. Non-strings are described by kind (numbers as is).
 */
export function shown(value: unknown, shape: RegExp = PLAIN): string {
  return typeof value === 'string' ? showInput(value, shape) : describe(value);
}

/**
 * A key ID's first characters, `ACME_1234…`, or a note that it is not shown: it looks like a
 * secret, is not shaped like a key ID, or holds 8 characters of `secret` in a row.
 */
export function keyIdHint(keyId: string, secret = ''): string {
  return echoesSecret(keyId, [secret])
    ? '(hidden: it holds part of the secret)'
    : coreKeyIdHint(keyId);
}

/**
 * `text` with every run of 8 or more characters that also occurs (in any case) in one of the
 * secret-looking `inputs` replaced: a last guard for messages built elsewhere (core's) that may
 * quote what was typed.
 */
export function withoutEchoes(text: string, inputs: readonly (string | undefined)[]): string {
  return redactText(
    text,
    inputs.filter(
      (input): input is string => typeof input === 'string' && containsSecretLike(input),
    ),
  );
}
