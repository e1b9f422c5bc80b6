import { InvalidOptionError, MissingCredentialsError } from '../protocol/errors.js';
import { looksLikeSecret, SAFE_INPUT, showInput } from '../protocol/redact.js';
import { describe, validateHeaderValue, validateSubAccount } from '../protocol/validate.js';
import { defaultWarningHandler } from '../toolkit/warnings.js';
import { readKeyFile } from './key-file.js';
import { baseUrlOf, type PickedSetting, pickSettings, readProfile } from './precedence.js';
import { envSource, explicitSource, type Field, profileSection, type Source } from './sources.js';
import type { ResolveCredentialsOptions, ResolvedCredentials } from './types.js';

export type { Credentials, ResolveCredentialsOptions, ResolvedCredentials } from './types.js';
export { RESOLVE_CREDENTIALS_OPTIONS } from './types.js';

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
  if (options.profile !== undefined && (typeof options.profile !== 'string' || !options.profile)) {
    throw new InvalidOptionError(
      `\`profile\` must be a non-empty string, got ${describe(options.profile)}.`,
      { option: 'profile' },
    );
  }
  const { profile, configFile } = readProfile(sources, {
    env,
    given: options.profile,
    givenBy: '`profile` option',
    configFile: options.configFile,
    onWarning,
  });
  if (options.keyFile !== undefined) {
    const fromFile = readKeyFile(options.keyFile, { onWarning });
    sources.push({
      name: (field) =>
        `\`${field}\` in key file ${showInput(options.keyFile, SAFE_INPUT.path, 'bare')}`,
      values: { ...fromFile },
    });
  }

  const picked = pickSettings(sources);
  if (!picked.keyId && !picked.secret) {
    throw new MissingCredentialsError(
      `No Lacework API key found. Set LW_API_KEY and LW_API_SECRET, pass \`keyId\` and \`secret\`, add api_key/api_secret to profile ${profileSection(profile)} in ${showInput(configFile, SAFE_INPUT.path, 'bare')} (\`lacework configure\`), or pass \`keyFile\`.`,
    );
  }
  for (const [have, missing] of [
    ['keyId', 'secret'],
    ['secret', 'keyId'],
  ] as const) {
    const setting = picked[have];
    if (setting && !picked[missing]) {
      throw new MissingCredentialsError(
        `${setting.source.name(have)} is set but ${setting.source.name(missing)} is not. Set both (a key ID and its secret always come from the same place).`,
      );
    }
  }
  const keyId = validated(picked.keyId, 'keyId');
  const secret = validated(picked.secret, 'secret');

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
  const { account, baseUrl: url } = picked;
  let baseUrl: string;
  if (account) {
    baseUrl = baseUrlFrom(account.source, 'account');
  } else if (url) {
    baseUrl = baseUrlFrom(url.source, 'baseUrl');
  } else {
    throw new MissingCredentialsError(
      `No Lacework account found. Set LW_ACCOUNT (e.g. "acme" for acme.lacework.net), pass \`account\`, or add account = "..." to profile ${profileSection(profile)} in ${showInput(configFile, SAFE_INPUT.path, 'bare')}.`,
    );
  }

  const result: ResolvedCredentials = { baseUrl, keyId, secret };
  if (account) result.account = String(account.value);
  if (picked.subAccount) {
    const { value, source } = picked.subAccount;
    if (looksLikeSecret(value)) {
      throw new InvalidOptionError(
        `${settingName(source, 'subAccount')} looks like an API secret (it starts with \`_\`), so it is not shown; set it to the sub-account name, e.g. \`acme-dev\`.`,
        { option: 'subAccount' },
      );
    }
    result.subAccount = validateSubAccount(value, 'subAccount', source.name('subAccount'));
  }
  if (picked.orgAccess) result.orgAccess = picked.orgAccess.value === true;
  return result;
}

/** A key id or secret the key source holds (both do, checked above), fit for a header. */
function validated(setting: PickedSetting | undefined, field: 'keyId' | 'secret'): string {
  const { value, source } = setting as PickedSetting;
  return validateHeaderValue(value, field, source.name(field));
}

/** The setting's name in backticks, as the source names it (`LW_ACCOUNT`, `account` in profile …). */
function settingName(source: Source, field: Field): string {
  const name = source.name(field);
  return name.includes('`') ? name : `\`${name}\``;
}

/** The base URL from a source's `account` or `baseUrl`, named by its setting in messages. */
function baseUrlFrom(source: Source, field: 'account' | 'baseUrl'): string {
  return baseUrlOf(String(source.values[field]), settingName(source, field), field);
}
