import { readFileSync } from 'node:fs';
import { InvalidOptionError, MissingCredentialsError } from '../protocol/errors.js';
import { SAFE_INPUT, showInput } from '../protocol/redact.js';
import { validateHeaderValue, validateSubAccount } from '../protocol/validate.js';
import { defaultWarningHandler, type WarningHandler } from '../toolkit/warnings.js';
import { warnIfExposed } from './permissions.js';
import type { Credentials } from './types.js';

/** Options for {@link readKeyFile}. */
export interface ReadKeyFileOptions {
  /** Called when the file is readable by other users. @default process.emitWarning */
  onWarning?: WarningHandler;
  /** How messages name the setting that gave the path (a CLI passes `--key-file`). @default '`keyFile`' */
  setting?: string;
}

/**
 * Reads an API key file downloaded from the Lacework console (Settings → API keys → Download):
 * JSON `{"keyId", "secret", "account"?, "subAccount"?}`. The account may be a full domain
 * (`acme.lacework.net`). Warns when the file is readable by other users.
 *
 * @throws {LaceworkAuthError} `ERR_LW_MISSING_CREDENTIALS` (no file, no key in it) or
 *   `ERR_LW_INVALID_OPTION` (not JSON, wrong types)
 * @example
 * ```ts
 * const credentials = readKeyFile('/home/me/Downloads/ACME_1234.json');
 * ```
 */
export function readKeyFile(path: string, options: ReadKeyFileOptions = {}): Credentials {
  const setting = options.setting ?? '`keyFile`';
  if (typeof path !== 'string' || path === '') {
    throw new InvalidOptionError(
      `${setting} must be a path to the key JSON file from the console.`,
      {
        option: 'keyFile',
      },
    );
  }
  // The path is user input: quoted in messages only when it looks like an ordinary path.
  const shown = showInput(path, SAFE_INPUT.path, 'bare');
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new MissingCredentialsError(
      code === 'ENOENT'
        ? `The key file ${shown} (${setting}) does not exist. Download a key from the Lacework console (Settings → API keys) or fix the path.`
        : `The key file ${shown} (${setting}) cannot be read (${code ?? 'error'}).`,
    );
  }
  warnIfExposed(path, 'Key file', options.onWarning ?? defaultWarningHandler);
  let json: unknown;
  try {
    // The parser's message can quote the file's content (the secret): never pass it on.
    json = JSON.parse(text);
  } catch {
    throw new InvalidOptionError(
      `The key file ${shown} is not valid JSON. Expected the file downloaded from the Lacework console: {"keyId": "...", "secret": "...", "account": "..."}.`,
      { option: 'keyFile' },
    );
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw new InvalidOptionError(
      `The key file ${shown} must contain a JSON object with keyId and secret.`,
      { option: 'keyFile' },
    );
  }
  const record = json as Record<string, unknown>;
  const where = `key file ${shown}`;
  for (const field of ['keyId', 'secret'] as const) {
    if (record[field] === undefined || record[field] === '') {
      throw new MissingCredentialsError(
        `The key file ${shown} has no \`${field}\`. Download the key again from the Lacework console (Settings → API keys).`,
      );
    }
  }
  const credentials: Credentials = {
    keyId: validateHeaderValue(record.keyId, 'keyId', where),
    secret: validateHeaderValue(record.secret, 'secret', where),
  };
  if (record.account !== undefined && record.account !== '') {
    if (typeof record.account !== 'string') {
      throw new InvalidOptionError(`\`account\` in ${where} must be a string.`, {
        option: 'account',
      });
    }
    credentials.account = record.account;
  }
  if (record.subAccount !== undefined && record.subAccount !== '') {
    credentials.subAccount = validateSubAccount(record.subAccount, 'subAccount', where);
  }
  return credentials;
}
