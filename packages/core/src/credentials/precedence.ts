import { homedir } from 'node:os';
import { join } from 'node:path';
import { resolveBaseUrl } from '../protocol/base-url.js';
import { InvalidBaseUrlError } from '../protocol/errors.js';
import { looksLikeSecret } from '../protocol/redact.js';
import type { WarningHandler } from '../toolkit/warnings.js';
import { type Field, nonEmpty, type Source, tomlSource } from './sources.js';

// The Lacework CLI's precedence rules, written once for resolveCredentials (library words) and
// readCredentialChain (command-line words): which profile is read, and which source wins each
// setting.

/** The profile of `~/.lacework.toml` that was read (or would be), and what chose it. */
export interface ProfileChoice {
  profile: string;
  /** `givenBy` when the caller chose it, else `LW_PROFILE`, else `default`. */
  from: string;
  configFile: string;
}

/**
 * Adds the profile (`given`, else `LW_PROFILE`, else `default`) of the config file to `sources`,
 * at the lowest precedence so far, when it was chosen, when `configFile` was named, or when the
 * sources so far lack the key or the account. A complete key and account are used as they are:
 * mixing in a profile's sub-account (possibly of another account) would be a surprise.
 */
export function readProfile(
  sources: Source[],
  options: {
    env: Record<string, string | undefined>;
    given: string | undefined;
    givenBy: string;
    configFile?: string | undefined;
    onWarning: WarningHandler;
  },
): ProfileChoice {
  const { env } = options;
  const fromEnv = nonEmpty(env.LW_PROFILE);
  const given = nonEmpty(options.given);
  const profile = given ?? fromEnv ?? 'default';
  const from =
    given !== undefined ? options.givenBy : fromEnv !== undefined ? 'LW_PROFILE' : 'default';
  const configFile = options.configFile ?? join(nonEmpty(env.HOME) ?? homedir(), '.lacework.toml');
  const missing = (field: Field) => !sources.some((source) => source.values[field] !== undefined);
  const needed =
    (missing('keyId') && missing('secret')) || (missing('account') && missing('baseUrl'));
  if (from !== 'default' || options.configFile !== undefined || needed) {
    const fromToml = tomlSource(configFile, profile, {
      required: options.configFile !== undefined,
      profileRequired: profile !== 'default',
      profileOrigin: from,
      onWarning: options.onWarning,
    });
    if (fromToml) sources.push(fromToml);
  }
  return { profile, from, configFile };
}

/** A setting's value and the source it comes from. */
export interface PickedSetting {
  value: string | boolean;
  source: Source;
}

/**
 * The source that wins each setting: the first that has it, except that the key id and the secret
 * both come from the first source with either (a key is never mixed from two places), and of an
 * account and a base URL only the one from the higher source is kept, the base URL when both come
 * from one source (an explicit account beats `LW_API_SERVER_URL`, `LW_API_SERVER_URL` beats
 * `LW_ACCOUNT`).
 */
export function pickSettings(sources: Source[]): Partial<Record<Field, PickedSetting>> {
  const picked: Partial<Record<Field, PickedSetting>> = {};
  const keySource = sources.find(
    (source) => source.values.keyId !== undefined || source.values.secret !== undefined,
  );
  for (const field of ['keyId', 'secret'] as const) {
    const value = keySource?.values[field];
    if (keySource && value !== undefined) picked[field] = { value, source: keySource };
  }
  for (const field of ['account', 'baseUrl', 'subAccount', 'orgAccess'] as const) {
    const source = sources.find((s) => s.values[field] !== undefined);
    const value = source?.values[field];
    if (source && value !== undefined) picked[field] = { value, source };
  }
  if (picked.account && picked.baseUrl) {
    const rank = (setting: PickedSetting) => sources.indexOf(setting.source);
    if (rank(picked.account) < rank(picked.baseUrl)) delete picked.baseUrl;
    else delete picked.account;
  }
  return picked;
}

/**
 * The base URL of an `account` or `baseUrl` setting, named `setting` in messages. A secret given
 * there by mistake is named by its setting, never echoed.
 *
 * @throws {InvalidBaseUrlError} `ERR_LW_INVALID_BASE_URL`
 */
export function baseUrlOf(value: string, setting: string, field: 'account' | 'baseUrl'): string {
  if (looksLikeSecret(value)) {
    const example =
      field === 'account'
        ? 'the account name, e.g. `acme`'
        : 'the API URL, e.g. `https://acme.lacework.net`';
    throw new InvalidBaseUrlError(
      `${setting} looks like an API secret (it starts with \`_\`), so it is not shown; set it to ${example}.`,
    );
  }
  return resolveBaseUrl(value, { allowAnyHost: field === 'baseUrl', setting });
}
