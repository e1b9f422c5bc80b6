import { homedir } from 'node:os';
import { join } from 'node:path';
import { defaultWarningHandler } from '../toolkit/warnings.js';
import { readKeyFile } from './key-file.js';
import {
  envSource,
  explicitSource,
  type Field,
  nonEmpty,
  profileSection,
  type Source,
  tomlSource,
} from './sources.js';
import type { ResolveCredentialsOptions, ResolvedCredentials } from './types.js';

export type { Credentials, ResolveCredentialsOptions, ResolvedCredentials } from './types.js';
export { RESOLVE_CREDENTIALS_OPTIONS } from './types.js';

import { resolveBaseUrl } from '../protocol/base-url.js';
import {
  InvalidBaseUrlError,
  InvalidOptionError,
  MissingCredentialsError,
} from '../protocol/errors.js';
import { looksLikeSecret, SAFE_INPUT, showInput } from '../protocol/redact.js';
import { describe, validateHeaderValue, validateSubAccount } from '../protocol/validate.js';

/**
 * Finds the API key and account the way the Lacework CLI does, field by field:
 * explicit options > `LW_*` environment > profile in `~/.lacework.toml` (`LW_PROFILE`, default
 * `default`) > key file. `keyId` and `secret` always come from the same source.
 *
 * @throws {LaceworkAuthError} `ERR_LW_MISSING_CREDENTIALS` or `ERR_LW_INVALID_OPTION` naming the
 *   setting and where to fix it; `ERR_LW_INVALID_BASE_URL` for an unusable account.
 * @example
 * ```ts
 * const { baseUrl, keyId, secret } = await resolveCredentials({ profile: 'prod' });
 * ```
 */
export async function resolveCredentials(
  options: ResolveCredentialsOptions = {},
): Promise<ResolvedCredentials> {
  return resolveCredentialsSync(options);
}

/** Synchronous {@link resolveCredentials} (the files are small and read once). */
export function resolveCredentialsSync(
  options: ResolveCredentialsOptions = {},
): ResolvedCredentials {
  const env = options.env ?? process.env;
  if (env === null || typeof env !== 'object') {
    throw new InvalidOptionError(`\`env\` must be an object of strings, got ${describe(env)}.`, {
      option: 'env',
    });
  }
  const onWarning = options.onWarning ?? defaultWarningHandler;
  const sources: Source[] = [explicitSource(options), envSource(env)];

  const profileFromEnv = nonEmpty(env.LW_PROFILE);
  const profile = options.profile ?? profileFromEnv ?? 'default';
  if (typeof profile !== 'string' || profile === '') {
    throw new InvalidOptionError(
      `\`profile\` must be a non-empty string, got ${describe(profile)}.`,
      { option: 'profile' },
    );
  }
  const profileChosen = options.profile !== undefined || profileFromEnv !== undefined;
  const configFile = options.configFile ?? join(nonEmpty(env.HOME) ?? homedir(), '.lacework.toml');
  const missing = (field: Field) => pick(sources, field) === undefined;
  const needMore =
    (missing('keyId') && missing('secret')) || (missing('account') && missing('baseUrl'));
  // A complete key + account from options/env is used as is: mixing in a profile's sub-account
  // (possibly of another account) would be a surprise. A chosen profile is always read.
  if (profileChosen || options.configFile !== undefined || needMore) {
    const fromToml = tomlSource(configFile, profile, {
      required: options.configFile !== undefined,
      profileRequired: profile !== 'default',
      profileOrigin: options.profile !== undefined ? '`profile` option' : 'LW_PROFILE',
      onWarning,
    });
    if (fromToml) sources.push(fromToml);
  }
  if (options.keyFile !== undefined) {
    const fromFile = readKeyFile(options.keyFile, { onWarning });
    sources.push({
      name: (field) =>
        `\`${field}\` in key file ${showInput(options.keyFile, SAFE_INPUT.path, 'bare')}`,
      values: { ...fromFile },
    });
  }

  const keySource = sources.find(
    (source) => source.values.keyId !== undefined || source.values.secret !== undefined,
  );
  if (!keySource) {
    throw new MissingCredentialsError(
      `No Lacework API key found. Set LW_API_KEY and LW_API_SECRET, pass \`keyId\` and \`secret\`, add api_key/api_secret to profile ${profileSection(profile)} in ${showInput(configFile, SAFE_INPUT.path, 'bare')} (\`lacework configure\`), or pass \`keyFile\`.`,
    );
  }
  for (const [have, missing] of [
    ['keyId', 'secret'],
    ['secret', 'keyId'],
  ] as const) {
    if (keySource.values[have] !== undefined && keySource.values[missing] === undefined) {
      throw new MissingCredentialsError(
        `${keySource.name(have)} is set but ${keySource.name(missing)} is not. Set both (a key ID and its secret always come from the same place).`,
      );
    }
  }
  const keyId = validateHeaderValue(keySource.values.keyId, 'keyId', keySource.name('keyId'));
  const secret = validateHeaderValue(keySource.values.secret, 'secret', keySource.name('secret'));

  const explicit = sources[0] as Source;
  if (explicit.values.account !== undefined && explicit.values.baseUrl !== undefined) {
    const fromAccount = baseUrlFrom(explicit, 'account');
    const fromBaseUrl = baseUrlFrom(explicit, 'baseUrl');
    if (fromAccount !== fromBaseUrl) {
      throw new InvalidOptionError(
        `\`account\` (${showInput(fromAccount, SAFE_INPUT.host)}) and \`baseUrl\` (${showInput(fromBaseUrl, SAFE_INPUT.host)}) disagree. Pass only one of them.`,
        { option: 'baseUrl' },
      );
    }
  }
  const baseUrlSource = sources.find((source) => source.values.baseUrl !== undefined);
  const accountSource = sources.find((source) => source.values.account !== undefined);
  // An explicit account beats LW_API_SERVER_URL; otherwise a base URL beats an account.
  const useAccount =
    accountSource !== undefined &&
    (baseUrlSource === undefined ||
      sources.indexOf(accountSource) < sources.indexOf(baseUrlSource));
  let baseUrl: string;
  if (useAccount) {
    baseUrl = baseUrlFrom(accountSource, 'account');
  } else if (baseUrlSource) {
    baseUrl = baseUrlFrom(baseUrlSource, 'baseUrl');
  } else {
    throw new MissingCredentialsError(
      `No Lacework account found. Set LW_ACCOUNT (e.g. "acme" for acme.lacework.net), pass \`account\`, or add account = "..." to profile ${profileSection(profile)} in ${showInput(configFile, SAFE_INPUT.path, 'bare')}.`,
    );
  }

  const result: ResolvedCredentials = { baseUrl, keyId, secret };
  if (useAccount) result.account = String(accountSource.values.account);
  const subAccount = pick(sources, 'subAccount');
  if (subAccount !== undefined) {
    const source = sources.find((s) => s.values.subAccount !== undefined) as Source;
    if (looksLikeSecret(subAccount)) {
      throw new InvalidOptionError(
        `${settingName(source, 'subAccount')} looks like an API secret (it starts with \`_\`), so it is not shown; set it to the sub-account name, e.g. \`acme-dev\`.`,
        { option: 'subAccount' },
      );
    }
    result.subAccount = validateSubAccount(subAccount, 'subAccount', source.name('subAccount'));
  }
  const orgAccess = pick(sources, 'orgAccess');
  if (orgAccess !== undefined) result.orgAccess = orgAccess === true;
  return result;
}

/** The setting's name in backticks, as the source names it (`LW_ACCOUNT`, `account` in profile …). */
function settingName(source: Source, field: Field): string {
  const name = source.name(field);
  return name.includes('`') ? name : `\`${name}\``;
}

/**
 * The base URL from a source's `account` or `baseUrl`. A secret given there by mistake is named
 * by its setting, never echoed.
 */
function baseUrlFrom(source: Source, field: 'account' | 'baseUrl'): string {
  const value = String(source.values[field]);
  if (looksLikeSecret(value)) {
    const example =
      field === 'account'
        ? 'the account name, e.g. `acme`'
        : 'the API URL, e.g. `https://acme.lacework.net`';
    throw new InvalidBaseUrlError(
      `${settingName(source, field)} looks like an API secret (it starts with \`_\`), so it is not shown; set it to ${example}.`,
    );
  }
  return resolveBaseUrl(value, {
    allowAnyHost: field === 'baseUrl',
    setting: settingName(source, field),
  });
}

function pick(sources: Source[], field: Field): string | boolean | undefined {
  for (const source of sources) {
    if (source.values[field] !== undefined) return source.values[field];
  }
  return undefined;
}
