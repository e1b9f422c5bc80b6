import { randomBytes } from 'node:crypto';
import { InvalidOptionError } from './option-error.js';

/** An API key the emulator accepts, with the accounts it may act on. */
export interface EmulatorKey {
  /** Key id, sent as `keyId` in the token request body. Generated keys look like `EMULATOR_<48 hex>`. */
  keyId: string;
  /** Secret, sent in the `X-LW-UAKS` header. Generated secrets look like `_<32 hex>`. */
  secret: string;
  /** The account the key belongs to (`acme` for `acme.lacework.net`). */
  account: string;
  /** Sub-accounts the key may name in `Account-Name`. */
  subAccounts: string[];
  /** Whether `Org-Access: true` is allowed for this key. */
  orgAccess: boolean;
}

/** A key as given in `keys`; missing fields are generated or defaulted. */
export interface EmulatorKeyInput {
  /** @default `<ACCOUNT>_<48 hex>` */
  keyId?: string;
  /** @default `_<32 hex>` */
  secret?: string;
  /** @default 'emulator' */
  account?: string;
  /** @default [`<account>-sub`] */
  subAccounts?: string[];
  /** @default true */
  orgAccess?: boolean;
}

const KEY_FIELDS = new Set(['keyId', 'secret', 'account', 'subAccounts', 'orgAccess']);

/** The account name of generated keys. */
export const DEFAULT_ACCOUNT = 'emulator';

/** Generates a key id in Lacework's `NAME_<hex>` shape (the CLI wants at least 34 characters). */
export function generateKeyId(account: string = DEFAULT_ACCOUNT): string {
  const prefix = account.toUpperCase().replace(/[^A-Z0-9]/g, '') || 'EMULATOR';
  return `${prefix}_${randomBytes(24).toString('hex').toUpperCase()}`;
}

/** Generates a secret in Lacework's `_<hex>` shape (the CLI wants at least 30 characters). */
export function generateSecret(): string {
  return `_${randomBytes(16).toString('hex')}`;
}

function nonEmptyString(value: unknown, name: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new InvalidOptionError(
      name,
      `\`${name}\` must be a non-empty string, got ${describeValue(value)}.`,
    );
  }
  if (/[\r\n]/.test(value))
    throw new InvalidOptionError(name, `\`${name}\` must not contain CR or LF.`);
  return value;
}

/** Validates `keys` and fills in what is missing. */
export function normalizeKeys(input: unknown): EmulatorKey[] {
  if (input === undefined) return [normalizeKey({}, 'keys[0]')];
  if (!Array.isArray(input) || input.length === 0) {
    throw new InvalidOptionError(
      'keys',
      `\`keys\` must be a non-empty array of keys, got ${describeValue(input)}.`,
    );
  }
  const keys = input.map((k, i) => normalizeKey(k, `keys[${i}]`));
  const seen = new Set<string>();
  for (const [i, k] of keys.entries()) {
    if (seen.has(k.keyId))
      throw new InvalidOptionError(
        `keys[${i}].keyId`,
        `\`keys[${i}].keyId\` duplicates an earlier key.`,
      );
    seen.add(k.keyId);
  }
  return keys;
}

function normalizeKey(input: unknown, name: string): EmulatorKey {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new InvalidOptionError(
      name,
      `\`${name}\` must be an object, got ${describeValue(input)}.`,
    );
  }
  for (const field of Object.keys(input)) {
    if (!KEY_FIELDS.has(field)) {
      throw new InvalidOptionError(
        `${name}.${field}`,
        `\`${name}\` has an unknown field \`${field}\`; known: ${[...KEY_FIELDS].join(', ')}.`,
      );
    }
  }
  const k = input as EmulatorKeyInput;
  const account =
    k.account === undefined ? DEFAULT_ACCOUNT : nonEmptyString(k.account, `${name}.account`);
  let subAccounts = [`${account}-sub`];
  if (k.subAccounts !== undefined) {
    if (!Array.isArray(k.subAccounts)) {
      throw new InvalidOptionError(
        `${name}.subAccounts`,
        `\`${name}.subAccounts\` must be an array of strings, got ${describeValue(k.subAccounts)}.`,
      );
    }
    subAccounts = k.subAccounts.map((s, i) => nonEmptyString(s, `${name}.subAccounts[${i}]`));
  }
  if (k.orgAccess !== undefined && typeof k.orgAccess !== 'boolean') {
    throw new InvalidOptionError(
      `${name}.orgAccess`,
      `\`${name}.orgAccess\` must be a boolean, got ${describeValue(k.orgAccess)}.`,
    );
  }
  // Frozen: changing a key in place would silently change what the emulator accepts.
  return Object.freeze({
    keyId:
      k.keyId === undefined ? generateKeyId(account) : nonEmptyString(k.keyId, `${name}.keyId`),
    secret: k.secret === undefined ? generateSecret() : nonEmptyString(k.secret, `${name}.secret`),
    account,
    subAccounts: Object.freeze(subAccounts) as string[],
    orgAccess: k.orgAccess ?? true,
  });
}

/**
 * The account a request acts on: `Account-Name` when given (compared case-insensitively, as the
 * CLI lower-cases sub-accounts), else the key's own account. `undefined` means "not this key's".
 */
export function resolveAccount(
  key: EmulatorKey,
  accountName: string | undefined,
): string | undefined {
  if (accountName === undefined || accountName === '') return key.account;
  const wanted = accountName.toLowerCase();
  return [key.account, ...key.subAccounts].find((a) => a.toLowerCase() === wanted);
}

/** Describes a value for an error message without echoing strings (they may be secrets). */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return value === '' ? 'an empty string' : 'a string';
  if (typeof value === 'number') return String(value);
  return typeof value === 'object' ? 'an object' : String(typeof value);
}
