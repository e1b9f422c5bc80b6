import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { resolveBaseUrl } from './base-url.js';
import { InvalidOptionError, MissingCredentialsError } from './errors.js';
import { readKeyFile } from './key-file.js';
import { defaultWarningHandler, type WarningHandler, warnIfExposed } from './permissions.js';
import { describe, validateHeaderValue } from './validate.js';

/** An API key and where to use it. */
export interface Credentials {
  /** Account name or domain (`acme`, `acme.lacework.net`, `acme.fra.lacework.net`). */
  account?: string | undefined;
  /** API base URL; overrides `account` (any host allowed, `http:` for loopback). */
  baseUrl?: string | undefined;
  /** API key ID. */
  keyId: string;
  /** API key secret (starts with `_`). Never logged. */
  secret: string;
  /** Sub-account, sent as `Account-Name`. */
  subAccount?: string | undefined;
  /** Send `Org-Access: true` (organization-level requests). */
  orgAccess?: boolean | undefined;
}

/** {@link Credentials} with the base URL resolved. */
export interface ResolvedCredentials extends Credentials {
  /** API base URL, e.g. `https://acme.lacework.net`. */
  baseUrl: string;
}

/** Options for {@link resolveCredentials}: explicit values and where else to look. */
export interface ResolveCredentialsOptions {
  /** Explicit account (wins over every other source). */
  account?: string | undefined;
  /** Explicit base URL (wins over `account` and `LW_API_SERVER_URL`). */
  baseUrl?: string | undefined;
  /** Explicit key ID (give `secret` with it). */
  keyId?: string | undefined;
  /** Explicit secret (give `keyId` with it). */
  secret?: string | undefined;
  /** Explicit sub-account. */
  subAccount?: string | undefined;
  /** Explicit organization-level access. */
  orgAccess?: boolean | undefined;
  /**
   * Profile (section) of the config file.
   * @default `LW_PROFILE`, else `"default"`
   */
  profile?: string | undefined;
  /**
   * The Lacework CLI config file.
   * @default `~/.lacework.toml`
   */
  configFile?: string | undefined;
  /** A key JSON file downloaded from the console; the lowest-precedence source. */
  keyFile?: string | undefined;
  /**
   * Environment to read `LW_*` variables from (pass `{}` to ignore the environment).
   * @default process.env
   */
  env?: Record<string, string | undefined> | undefined;
  /** Receives permission warnings. @default process.emitWarning */
  onWarning?: WarningHandler | undefined;
}

/** Option names accepted by {@link resolveCredentials}. */
export const RESOLVE_CREDENTIALS_OPTIONS = [
  'account',
  'baseUrl',
  'keyId',
  'secret',
  'subAccount',
  'orgAccess',
  'profile',
  'configFile',
  'keyFile',
  'env',
  'onWarning',
] as const;

interface Source {
  /** Where the values came from, for messages ("LW_API_KEY", "profile [x] in ~/.lacework.toml"). */
  name: (field: Field) => string;
  values: Partial<Record<Field, string | boolean>>;
}

type Field = 'account' | 'baseUrl' | 'keyId' | 'secret' | 'subAccount' | 'orgAccess';

const ENV_NAMES: Record<Field, string> = {
  account: 'LW_ACCOUNT',
  baseUrl: 'LW_API_SERVER_URL',
  keyId: 'LW_API_KEY',
  secret: 'LW_API_SECRET',
  subAccount: 'LW_SUBACCOUNT',
  orgAccess: 'LW_ORGANIZATION',
};

const TOML_NAMES: Partial<Record<Field, string>> = {
  account: 'account',
  keyId: 'api_key',
  secret: 'api_secret',
  subAccount: 'subaccount',
};

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
    throw new InvalidOptionError(`\`env\` must be an object of strings, got ${describe(env)}.`);
  }
  const onWarning = options.onWarning ?? defaultWarningHandler;
  const sources: Source[] = [explicitSource(options), envSource(env)];

  const profileFromEnv = nonEmpty(env.LW_PROFILE);
  const profile = options.profile ?? profileFromEnv ?? 'default';
  if (typeof profile !== 'string' || profile === '') {
    throw new InvalidOptionError(
      `\`profile\` must be a non-empty string, got ${describe(profile)}.`,
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
      name: (field) => `\`${field}\` in key file ${options.keyFile}`,
      values: { ...fromFile },
    });
  }

  const keySource = sources.find(
    (source) => source.values.keyId !== undefined || source.values.secret !== undefined,
  );
  if (!keySource) {
    throw new MissingCredentialsError(
      `No Lacework API key found. Set LW_API_KEY and LW_API_SECRET, pass \`keyId\` and \`secret\`, add api_key/api_secret to profile [${profile}] in ${configFile} (\`lacework configure\`), or pass \`keyFile\`.`,
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
    const fromAccount = resolveBaseUrl(String(explicit.values.account));
    const fromBaseUrl = resolveBaseUrl(String(explicit.values.baseUrl), { allowAnyHost: true });
    if (fromAccount !== fromBaseUrl) {
      throw new InvalidOptionError(
        `\`account\` (${fromAccount}) and \`baseUrl\` (${fromBaseUrl}) disagree. Pass only one of them.`,
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
    baseUrl = resolveBaseUrl(String(accountSource.values.account));
  } else if (baseUrlSource) {
    baseUrl = resolveBaseUrl(String(baseUrlSource.values.baseUrl), { allowAnyHost: true });
  } else {
    throw new MissingCredentialsError(
      `No Lacework account found. Set LW_ACCOUNT (e.g. "acme" for acme.lacework.net), pass \`account\`, or add account = "..." to profile [${profile}] in ${configFile}.`,
    );
  }

  const result: ResolvedCredentials = { baseUrl, keyId, secret };
  if (useAccount) result.account = String(accountSource.values.account);
  const subAccount = pick(sources, 'subAccount');
  if (subAccount !== undefined) {
    const source = sources.find((s) => s.values.subAccount !== undefined) as Source;
    result.subAccount = validateHeaderValue(subAccount, 'subAccount', source.name('subAccount'));
  }
  const orgAccess = pick(sources, 'orgAccess');
  if (orgAccess !== undefined) result.orgAccess = orgAccess === true;
  return result;
}

function pick(sources: Source[], field: Field): string | boolean | undefined {
  for (const source of sources) {
    if (source.values[field] !== undefined) return source.values[field];
  }
  return undefined;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

function explicitSource(options: ResolveCredentialsOptions): Source {
  const values: Source['values'] = {};
  for (const field of ['account', 'baseUrl', 'keyId', 'secret', 'subAccount'] as const) {
    const value = options[field];
    if (value === undefined) continue;
    if (typeof value !== 'string') {
      throw new InvalidOptionError(`\`${field}\` must be a string, got ${describe(value)}.`);
    }
    values[field] = value;
  }
  if (options.orgAccess !== undefined) {
    if (typeof options.orgAccess !== 'boolean') {
      throw new InvalidOptionError(
        `\`orgAccess\` must be a boolean, got ${describe(options.orgAccess)}.`,
      );
    }
    values.orgAccess = options.orgAccess;
  }
  return { name: (field) => `\`${field}\``, values };
}

function envSource(env: Record<string, string | undefined>): Source {
  const values: Source['values'] = {};
  for (const [field, name] of Object.entries(ENV_NAMES) as [Field, string][]) {
    const value = nonEmpty(env[name]);
    if (value === undefined) continue;
    if (field === 'orgAccess') {
      if (!/^(true|false|1|0)$/i.test(value)) {
        throw new InvalidOptionError(`${name} must be true or false, got "${value.slice(0, 20)}".`);
      }
      values.orgAccess = /^(true|1)$/i.test(value);
    } else {
      values[field] = value;
    }
  }
  return { name: (field) => ENV_NAMES[field], values };
}

function tomlSource(
  file: string,
  profile: string,
  rules: {
    required: boolean;
    profileRequired: boolean;
    profileOrigin: string;
    onWarning: WarningHandler;
  },
): Source | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && !rules.required && !rules.profileRequired) return undefined;
    if (code === 'ENOENT') {
      throw new MissingCredentialsError(
        rules.required
          ? `The config file ${file} (\`configFile\`) does not exist.`
          : `Profile "${profile}" (from ${rules.profileOrigin}) was requested but ${file} does not exist. Run \`lacework configure --profile ${profile}\` or unset it.`,
      );
    }
    throw new MissingCredentialsError(
      `The config file ${file} cannot be read (${code ?? 'error'}).`,
    );
  }
  warnIfExposed(file, 'Config file', rules.onWarning);
  let config: Record<string, unknown>;
  try {
    config = parseToml(text) as Record<string, unknown>;
  } catch (error) {
    // smol-toml quotes the offending line, which may hold a secret: report the position only.
    const { line, column } = error as { line?: number; column?: number };
    const at =
      line === undefined
        ? ''
        : ` at line ${line}${column === undefined ? '' : `, column ${column}`}`;
    throw new InvalidOptionError(
      `The config file ${file} is not valid TOML${at}. Fix it or run \`lacework configure\`.`,
    );
  }
  const section = config[profile];
  if (section === undefined) {
    if (rules.profileRequired) {
      const known = Object.keys(config).filter((key) => typeof config[key] === 'object');
      throw new MissingCredentialsError(
        `Profile "${profile}" (from ${rules.profileOrigin}) is not in ${file}${known.length ? `; it has ${known.map((k) => `[${k}]`).join(', ')}` : ''}. Run \`lacework configure --profile ${profile}\` or pick another profile.`,
      );
    }
    return undefined;
  }
  if (section === null || typeof section !== 'object' || Array.isArray(section)) {
    throw new InvalidOptionError(
      `[${profile}] in ${file} must be a table (a [${profile}] section).`,
    );
  }
  const record = section as Record<string, unknown>;
  const values: Source['values'] = {};
  for (const [field, key] of Object.entries(TOML_NAMES) as [Field, string][]) {
    const value = record[key];
    if (value === undefined || value === '') continue;
    if (typeof value !== 'string') {
      throw new InvalidOptionError(
        `\`${key}\` in profile [${profile}] of ${file} must be a string.`,
      );
    }
    values[field] = value;
  }
  return {
    name: (field) => `\`${TOML_NAMES[field] ?? field}\` in profile [${profile}] of ${file}`,
    values,
  };
}
