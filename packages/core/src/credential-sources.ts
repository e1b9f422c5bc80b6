import { readFileSync } from 'node:fs';
import { parse as parseToml } from 'smol-toml';
import type { ResolveCredentialsOptions } from './credentials.js';
import { InvalidOptionError, MissingCredentialsError } from './errors.js';
import { type WarningHandler, warnIfExposed } from './permissions.js';
import { looksLikeSecret } from './redact.js';
import { describe } from './validate.js';

/** One place a key can come from, read but not yet merged with the others. */
export interface Source {
  /** Where the values came from, for messages ("LW_API_KEY", "profile [x] in ~/.lacework.toml"). */
  name: (field: Field) => string;
  values: Partial<Record<Field, string | boolean>>;
}

/** The settings a source can provide. */
export type Field = 'account' | 'baseUrl' | 'keyId' | 'secret' | 'subAccount' | 'orgAccess';

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

/** `undefined` for an unset or empty variable. */
export function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

/** The options passed in code (strings and `orgAccess` checked). */
export function explicitSource(options: ResolveCredentialsOptions): Source {
  const values: Source['values'] = {};
  for (const field of ['account', 'baseUrl', 'keyId', 'secret', 'subAccount'] as const) {
    const value = options[field];
    if (value === undefined) continue;
    if (typeof value !== 'string') {
      throw new InvalidOptionError(`\`${field}\` must be a string, got ${describe(value)}.`, {
        option: field,
      });
    }
    values[field] = value;
  }
  if (options.orgAccess !== undefined) {
    if (typeof options.orgAccess !== 'boolean') {
      throw new InvalidOptionError(
        `\`orgAccess\` must be a boolean, got ${describe(options.orgAccess)}.`,
        { option: 'orgAccess' },
      );
    }
    values.orgAccess = options.orgAccess;
  }
  return { name: (field) => `\`${field}\``, values };
}

/** `LW_*` environment variables (as the Lacework CLI reads them). */
export function envSource(env: Record<string, string | undefined>): Source {
  const values: Source['values'] = {};
  for (const [field, name] of Object.entries(ENV_NAMES) as [Field, string][]) {
    const value = nonEmpty(env[name]);
    if (value === undefined) continue;
    if (field === 'orgAccess') {
      if (!/^(true|false|1|0)$/i.test(value)) {
        throw new InvalidOptionError(
          `${name} must be true or false, got ${looksLikeSecret(value) ? 'a value that looks like an API secret (not shown)' : `"${value.slice(0, 20)}"`}.`,
          {
            option: name,
          },
        );
      }
      values.orgAccess = /^(true|1)$/i.test(value);
    } else {
      values[field] = value;
    }
  }
  return { name: (field) => ENV_NAMES[field], values };
}

/**
 * A profile of the Lacework CLI config file (`~/.lacework.toml`), or `undefined` when the file or
 * profile is absent and was not required. Warns when the file is readable by others.
 */
export function tomlSource(
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
      { option: 'configFile' },
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
      { option: 'profile' },
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
        { option: key },
      );
    }
    values[field] = value;
  }
  return {
    name: (field) => `\`${TOML_NAMES[field] ?? field}\` in profile [${profile}] of ${file}`,
    values,
  };
}
