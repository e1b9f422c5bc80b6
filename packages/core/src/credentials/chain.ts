import { MissingCredentialsError } from '../protocol/errors.js';
import { keyIdHint, looksLikeSecret, SAFE_INPUT, showInput } from '../protocol/redact.js';
import { validateHeaderValue, validateSubAccount } from '../protocol/validate.js';
import { defaultWarningHandler, type WarningHandler } from '../toolkit/warnings.js';
import { readKeyFile } from './key-file.js';
import { baseUrlOf, pickSettings, readProfile } from './precedence.js';
import { envSource, type Field, profileSection, type Source } from './sources.js';
import type { Credentials } from './types.js';

/** A setting of the credential chain: account, base URL, key id, secret, sub-account, org access. */
export type CredentialField = Field;

/**
 * Options of {@link readCredentialChain}: what a command line gave, and where else to look. Made
 * for CLIs: messages and `from` name flags as typed (`--account`), never library options.
 */
export interface CredentialChainOptions {
  /** Values given on the command line, by field: the highest precedence. */
  flags?: Partial<Record<CredentialField, string | boolean | undefined>> | undefined;
  /** How the command line spells each flag, e.g. `{ account: '--account' }`. */
  flagNames?: Partial<Record<CredentialField, string>> | undefined;
  /**
   * A key file named on the command line. An explicit choice, so it is read at flag precedence
   * (just below the flags themselves): `--key-file k.json` wins over `LW_API_KEY`.
   */
  keyFile?: string | undefined;
  /** The flag that named the key file. @default '--key-file' */
  keyFileFlag?: string | undefined;
  /** Profile of `~/.lacework.toml` chosen on the command line (else `LW_PROFILE`, else `default`). */
  profile?: string | undefined;
  /** The flag that chose the profile. @default '--profile' */
  profileFlag?: string | undefined;
  /** The environment (`LW_*`, `HOME`). */
  env: Record<string, string | undefined>;
  /** Receives "readable by others" warnings for the key file and config file. */
  onWarning?: WarningHandler | ((message: string) => void) | undefined;
}

/** One setting's value and where it came from (`--account`, `LW_API_KEY`, …). */
export interface ChainSetting {
  /** The value; for `secret`, never print it. */
  value: string | boolean;
  /** Where it came from, in the words of the command line and the Lacework CLI. */
  from: string;
}

/** What {@link readCredentialChain} found: each setting and its source, before validation. */
export interface CredentialChain {
  /** The profile of the config file that was (or would be) read. */
  profile: string;
  /** What chose it: the profile flag, `LW_PROFILE`, or `default`. */
  profileFrom: string;
  /** The Lacework CLI config file. */
  configFile: string;
  /** The settings found, by field. Key id and secret always come from the same source. */
  settings: Partial<Record<CredentialField, ChainSetting>>;
}

/**
 * Reads the Lacework CLI's credential chain setting by setting, and says where each setting came
 * from: flags (and a key file named by a flag), then `LW_*` variables, then the profile in
 * `~/.lacework.toml` (`--profile`, `LW_PROFILE`, `default`). As `lacework configure show`, flags
 * win over the environment and the environment over the file. Key id and secret come from the
 * first source that has either of them. Nothing is validated yet: see {@link chainCredentials}.
 *
 * @throws {LaceworkAuthError} `ERR_LW_MISSING_CREDENTIALS` / `ERR_LW_INVALID_OPTION` for a key
 *   file or profile that was named but cannot be read.
 */
export function readCredentialChain(options: CredentialChainOptions): CredentialChain {
  const env = options.env;
  const onWarning = (options.onWarning ?? defaultWarningHandler) as WarningHandler;
  const flagNames = options.flagNames ?? {};
  const flagValues: Source['values'] = {};
  for (const [field, value] of Object.entries(options.flags ?? {})) {
    if (value !== undefined) flagValues[field as Field] = value;
  }
  const sources: Source[] = [
    { name: (field) => flagNames[field] ?? `--${field}`, values: flagValues },
  ];
  if (options.keyFile !== undefined) {
    const flag = options.keyFileFlag ?? '--key-file';
    const fromFile = readKeyFile(options.keyFile, { onWarning, setting: flag });
    const shown = showInput(options.keyFile, SAFE_INPUT.path, 'bare');
    sources.push({
      name: (field) => `\`${field}\` in key file ${shown} (${flag})`,
      values: fromFile,
    });
  }
  sources.push(envSource(env));
  const { profile, from, configFile } = readProfile(sources, {
    env,
    given: options.profile,
    givenBy: options.profileFlag ?? '--profile',
    onWarning,
  });
  const settings: CredentialChain['settings'] = {};
  for (const [field, picked] of Object.entries(pickSettings(sources))) {
    settings[field as Field] = { value: picked.value, from: picked.source.name(field as Field) };
  }
  return { profile, profileFrom: from, configFile, settings };
}

/**
 * The settings of a {@link CredentialChain} that are present, validated: what a partial setup
 * (such as a Postman environment with the secret left out) can use. Messages name each setting
 * where it came from, in command-line words, and never quote a secret.
 *
 * @throws {LaceworkAuthError} `ERR_LW_INVALID_OPTION`, `ERR_LW_INVALID_BASE_URL`
 */
export function chainSettings(chain: CredentialChain): Partial<Credentials> {
  const { settings } = chain;
  const result: Partial<Credentials> = {};
  if (settings.keyId) {
    result.keyId = validateHeaderValue(settings.keyId.value, 'key id', settings.keyId.from);
  }
  if (settings.secret) {
    result.secret = validateHeaderValue(settings.secret.value, 'secret', settings.secret.from);
  }
  const { account, baseUrl } = settings;
  if (account) {
    result.baseUrl = baseUrlOf(String(account.value), account.from, 'account');
    result.account = String(account.value);
  } else if (baseUrl) {
    result.baseUrl = baseUrlOf(String(baseUrl.value), baseUrl.from, 'baseUrl');
  }
  const sub = settings.subAccount;
  if (sub) result.subAccount = validateSubAccount(sub.value, 'sub-account', sub.from);
  if (settings.orgAccess) result.orgAccess = settings.orgAccess.value === true;
  return result;
}

/**
 * The key and account of a {@link CredentialChain}, validated, complete: for
 * `createTokenProvider({ credentials, baseUrl, subAccount, orgAccess })`.
 *
 * @throws {LaceworkAuthError} `ERR_LW_MISSING_CREDENTIALS` (no key, half a key, no account) naming
 *   what to set, `ERR_LW_INVALID_OPTION`, `ERR_LW_INVALID_BASE_URL`
 */
export function chainCredentials(
  chain: CredentialChain,
  words: { keyFileFlag?: string; accountFlag?: string } = {},
): Credentials & { baseUrl: string } {
  const { settings } = chain;
  const where = `profile ${profileSection(chain.profile)} in ${showInput(chain.configFile, SAFE_INPUT.path, 'bare')}`;
  if (!settings.keyId && !settings.secret) {
    throw new MissingCredentialsError(
      `No Lacework API key found. Set LW_API_KEY and LW_API_SECRET, run \`lacework configure\` to add the key to ${where}, or pass ${words.keyFileFlag ?? '--key-file'} <file downloaded from the Lacework console>.`,
    );
  }
  for (const [have, missing, envName] of [
    ['keyId', 'secret', 'LW_API_SECRET'],
    ['secret', 'keyId', 'LW_API_KEY'],
  ] as const) {
    const setting = settings[have];
    if (setting && !settings[missing]) {
      throw new MissingCredentialsError(
        `${setting.from} is set but the ${missing === 'secret' ? 'secret' : 'key id'} that goes with it is not (${envName} when the key comes from the environment). A key id and its secret always come from the same place.`,
      );
    }
  }
  const result = chainSettings(chain);
  if (result.baseUrl === undefined) {
    throw new MissingCredentialsError(
      `No Lacework account found. Pass ${words.accountFlag ?? '--account'} (e.g. acme for acme.lacework.net), set LW_ACCOUNT, or add account = "..." to ${where}.`,
    );
  }
  return result as Credentials & { baseUrl: string };
}

/**
 * Lines for `--explain`: each setting, where it came from, and the secret only as "set". The key
 * id is shown by its first characters only.
 */
export function explainChain(chain: CredentialChain): string[] {
  const { settings } = chain;
  const line = (label: string, shown: string, from: string) =>
    `${`${label}:`.padEnd(13)}${shown.padEnd(34)} from ${from}`;
  const lines = [line('profile', chain.profile, chain.profileFrom)];
  const account = settings.account ?? settings.baseUrl;
  lines.push(
    account
      ? line(settings.account ? 'account' : 'base URL', explainedValue(account.value), account.from)
      : line('account', '(none)', 'nowhere'),
  );
  lines.push(
    settings.keyId
      ? line('key id', keyIdHint(String(settings.keyId.value)), settings.keyId.from)
      : line('key id', '(none)', 'nowhere'),
  );
  lines.push(
    settings.secret
      ? line('secret', '(set, not shown)', settings.secret.from)
      : line('secret', '(none)', 'nowhere'),
  );
  if (settings.subAccount) {
    lines.push(
      line('sub-account', explainedValue(settings.subAccount.value), settings.subAccount.from),
    );
  }
  if (settings.orgAccess) {
    lines.push(line('org access', String(settings.orgAccess.value), settings.orgAccess.from));
  }
  return lines;
}

/**
 * A setting's value as `--explain` shows it (text and JSON): booleans as is; a value that looks
 * like a secret, or holds one or other odd characters, described rather than shown.
 */
export function explainedValue(value: string | boolean): string {
  if (typeof value === 'boolean') return String(value);
  if (looksLikeSecret(value)) return '(looks like a secret, not shown)';
  return showInput(value, SAFE_INPUT.host, 'bare');
}
