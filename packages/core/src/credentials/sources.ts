import { readFileSync } from 'node:fs';
import { parse as parseToml } from 'smol-toml';
import { InvalidOptionError, MissingCredentialsError } from '../protocol/errors.js';
import { isShown, SAFE_INPUT, showInput } from '../protocol/redact.js';
import { describe } from '../protocol/validate.js';
import type { WarningHandler } from '../toolkit/warnings.js';
import { warnIfExposed } from './permissions.js';
import type { ResolveCredentialsOptions } from './types.js';

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
          `${name} must be true or false, got ${showInput(value, SAFE_INPUT.name)}.`,
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
  // Both are user input: quoted in messages only when they look like a name and a path.
  const shownFile = showInput(file, SAFE_INPUT.path, 'bare');
  const shownProfile = showInput(profile, SAFE_INPUT.name);
  const tableName = profileSection(profile);
  const configure = isShown(profile, SAFE_INPUT.name) ? ` --profile ${profile}` : '';
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && !rules.required && !rules.profileRequired) return undefined;
    if (code === 'ENOENT') {
      throw new MissingCredentialsError(
        rules.required
          ? `The config file ${shownFile} (\`configFile\`) does not exist.`
          : `Profile ${shownProfile} (from ${rules.profileOrigin}) was requested but ${shownFile} does not exist. Run \`lacework configure${configure}\` or unset it.`,
      );
    }
    throw new MissingCredentialsError(
      `The config file ${shownFile} cannot be read (${code ?? 'error'}).`,
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
      `The config file ${shownFile} is not valid TOML${at}. Fix it or run \`lacework configure\`.`,
      { option: 'configFile' },
    );
  }
  const section = config[profile];
  if (section === undefined) {
    if (rules.profileRequired) {
      throw new MissingCredentialsError(
        `Profile ${shownProfile} (from ${rules.profileOrigin}) is not in ${shownFile}${knownProfiles(config)}. Run \`lacework configure${configure}\` or pick another profile.`,
      );
    }
    return undefined;
  }
  if (section === null || typeof section !== 'object' || Array.isArray(section)) {
    throw new InvalidOptionError(
      `Profile ${shownProfile} in ${shownFile} must be a table (a [section] of its own).`,
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
        `\`${key}\` in profile ${tableName} of ${shownFile} must be a string.`,
        { option: key },
      );
    }
    values[field] = value;
  }
  return {
    name: (field) => `\`${TOML_NAMES[field] ?? field}\` in profile ${tableName} of ${shownFile}`,
    values,
  };
}

/** `[prod]` for a profile name that is safe to show, else its description (never quoted). */
export function profileSection(profile: string): string {
  return isShown(profile, SAFE_INPUT.name) ? `[${profile}]` : showInput(profile, SAFE_INPUT.name);
}

// The tables of the file, for "it has [default], [prod]"; names that are not safe to show (a
// secret pasted as a table name) are only counted.
function knownProfiles(config: Record<string, unknown>): string {
  const tables = Object.keys(config).filter((key) => typeof config[key] === 'object');
  if (tables.length === 0) return '';
  const shown = tables.map(profileSection).filter((name) => name.startsWith('['));
  const hidden = tables.length - shown.length;
  const others =
    hidden === 0
      ? ''
      : `${shown.length ? ' and ' : ''}${hidden} other${hidden === 1 ? '' : 's'} not shown`;
  return `; it has ${shown.join(', ')}${others}`;
}
