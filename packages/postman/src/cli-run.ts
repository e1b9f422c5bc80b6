import { randomBytes } from 'node:crypto';
import { chmodSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  chainSettings,
  EXIT_CODES,
  exitCodeFor,
  isLaceworkAuthError,
  readCredentialChain,
} from '@lacework-auth/core';
import { DEPRECATED_FLAGS, unknownFlagMessage } from './cli-flags.js';
import { createCollection, STARTER_FOLDER_NAMES } from './collection.js';
import { createEnvironment, type EnvironmentOptions } from './environment.js';
import { addLaceworkAuth } from './inject.js';
import { generatePreRequestScript, type ScriptOptions, type TokenScope } from './script.js';
import { keyIdHint, PATH_SHAPE, shown, withoutEchoes } from './shown.js';

/** A number as typed on the command line, quoted in a message only in this shape. */
const NUMBER_SHAPE = /^[+-]?[\d.,eE]{1,15}$/;

/** Where the CLI writes and what it reads; injectable for tests. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: Record<string, string | undefined>;
}

/** Exit code: done. */
export const EXIT_OK = EXIT_CODES.ok;
/** Exit code: failed (unreadable or invalid input, I/O). */
export const EXIT_FAILURE = EXIT_CODES.failure;
/** Exit code: wrong usage (unknown command or flag, bad flag value). */
export const EXIT_USAGE = EXIT_CODES.usage;
/** Exit code: configuration (a key file, profile or `LW_*` value that cannot be used). */
export const EXIT_CONFIGURATION = EXIT_CODES.configuration;

class UsageError extends Error {}
/** A key file, profile or `LW_*` setting that cannot give what was asked for. */
class ConfigurationError extends Error {}

const HELP = `Usage: lacework-postman <command> [options]

Postman collections and scripts that turn a Lacework API key into a fresh bearer token.

Commands:
  collection [-o file]            write a Lacework API v2 collection with auth and starter requests
  inject <in.json> [-o out.json]  add Lacework auth to an existing collection (v2.0 or v2.1)
  script [-o file]                print the auth script (collection pre-request and test script)
  environment [-o file]           write a Postman environment with the lw_* variables

Run 'lacework-postman <command> --help' for the command's options.
Exit codes: 0 done, 1 failed (unreadable input, I/O), 2 wrong usage, 3 configuration (a key
file, profile or LW_* value that cannot be used).`;

const SCRIPT_OPTIONS_HELP = `  --token-scope <scope>    where the token is cached: collection (default), environment, globals
                           (deprecated name: --store)
  --refresh-window <ms>    fixed refresh margin (default: 10% of the token lifetime, 1 s..5 min)
  --no-retry               do not re-run a request after Lacework refused a cached token
  --quiet                  no console line per token exchange`;

const COMMAND_HELP: Record<string, string> = {
  collection: `Usage: lacework-postman collection [-o file] [options]

Writes a Postman collection (v2.1) for the Lacework API v2: the auth script at collection level,
bearer auth {{lw_request_token}}, empty lw_* variables and starter requests. Stdout without -o.

Options:
  -o, --output <file>      file to write
  --name <name>            collection name (default: Lacework API v2)
  --folder <name>          include only this starter folder (repeatable): ${STARTER_FOLDER_NAMES.join(', ')}
${SCRIPT_OPTIONS_HELP}`,
  inject: `Usage: lacework-postman inject <in.json> [-o out.json] [options]

Adds Lacework auth to an existing collection (v2.0 or v2.1) and keeps its own scripts, auth
overrides and variables. Running it again changes nothing. Stdout without -o.

Options:
  -o, --output <file>      file to write (may be the input file)
  --replace-auth           replace collection-level auth of another type with Lacework bearer auth
${SCRIPT_OPTIONS_HELP}`,
  script: `Usage: lacework-postman script [-o file] [options]

Prints the Lacework auth script. Paste it into the collection's Pre-request and Post-response
script tabs and set the collection's auth to Bearer Token {{lw_token}}.

Options:
  -o, --output <file>      file to write
${SCRIPT_OPTIONS_HELP}`,
  environment: `Usage: lacework-postman environment [-o file] [options]

Writes a Postman environment with lw_base_url, lw_key_id, lw_secret (type secret), lw_sub_account
and lw_expiry_time. The key is found as lacework-token and the Lacework CLI find it, setting by
setting: the flags (and --key-file), then LW_ACCOUNT, LW_API_SERVER_URL, LW_API_KEY,
LW_API_SECRET, LW_SUBACCOUNT, then the profile in ~/.lacework.toml (--profile, else LW_PROFILE,
else "default"). The key id and the secret always come from the same place. The secret is left
empty unless --include-secret is given; a file holding it must not be shared or committed.

Options:
  -o, --output <file>      file to write (mode 0600 when it holds the secret)
  --profile <name>         profile in ~/.lacework.toml (default: $LW_PROFILE or "default")
  --key-file <file>        API key JSON downloaded from the Lacework console (wins over LW_*)
  --account <name>         account name or domain (acme, acme.lacework.net)
  --base-url <url>         API base URL instead of an account
  --key-id <id>            API key id
  --subaccount <name>      sub-account (Account-Name header)
  --expiry <seconds>       token lifetime, 1..86400
  --name <name>            environment name (default: Lacework)
  --include-secret         write the secret of the key found (with --key-id: LW_API_SECRET,
                           unless LW_API_KEY names another key)
Deprecated names: --sub-account (--subaccount), --expiry-time (--expiry).`,
};

const SCRIPT_FLAGS = {
  'token-scope': { type: 'string' },
  store: { type: 'string' },
  'refresh-window': { type: 'string' },
  'no-retry': { type: 'boolean' },
  quiet: { type: 'boolean' },
} as const;

const OPTIONS = {
  collection: {
    output: { type: 'string', short: 'o' },
    name: { type: 'string' },
    folder: { type: 'string', multiple: true },
    ...SCRIPT_FLAGS,
  },
  inject: {
    output: { type: 'string', short: 'o' },
    'replace-auth': { type: 'boolean' },
    ...SCRIPT_FLAGS,
  },
  script: { output: { type: 'string', short: 'o' }, ...SCRIPT_FLAGS },
  environment: {
    output: { type: 'string', short: 'o' },
    profile: { type: 'string' },
    'key-file': { type: 'string' },
    account: { type: 'string' },
    'base-url': { type: 'string' },
    'key-id': { type: 'string' },
    subaccount: { type: 'string' },
    'sub-account': { type: 'string' },
    expiry: { type: 'string' },
    'expiry-time': { type: 'string' },
    name: { type: 'string' },
    'include-secret': { type: 'boolean' },
  },
} as const;

type Command = keyof typeof OPTIONS;
type Values = Record<string, string | boolean | string[] | undefined>;

function scriptOptions(values: Values): ScriptOptions {
  const options: ScriptOptions = {};
  const scope = values['token-scope'];
  if (scope !== undefined) {
    if (!['collection', 'environment', 'globals'].includes(scope as string)) {
      throw new UsageError(
        `--token-scope must be collection, environment or globals, got ${shown(scope)}.`,
      );
    }
    options.tokenScope = scope as TokenScope;
  }
  if (values['refresh-window'] !== undefined) {
    const text = String(values['refresh-window']);
    if (!/^\d+$/.test(text)) {
      throw new UsageError(
        `--refresh-window must be a number of milliseconds, got ${shown(text, NUMBER_SHAPE)}.`,
      );
    }
    options.refreshWindow = Number(text);
  }
  if (values['no-retry']) options.retryOnUnauthorized = false;
  if (values.quiet) options.log = false;
  return options;
}

const COMMAND_SHAPE = /^[a-z][a-z-]{0,30}$/i;

/**
 * parseArgs's messages quote the argument they reject, which may be a secret typed in the wrong
 * place (`--expiry-time 60 <secret>`, `--<secret>`): name the problem, quote only a plain option.
 */
function parseError(error: NodeJS.ErrnoException, command: Command): string {
  const quoted = /'([^']*)'/.exec(error.message)?.[1] ?? '';
  switch (error.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return unknownFlagMessage(quoted, OPTIONS[command]);
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `Unexpected argument ${shown(quoted)}: this command takes only options. Quote values with spaces, and give every value after its option (--name <value>).`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE': {
      const option = /^--?[a-z][a-z-]{0,30}/i.exec(quoted)?.[0];
      return option
        ? `${option} ${/argument missing/.test(error.message) ? 'needs a value' : 'does not take a value'}.`
        : 'An option has a missing or unexpected value.';
    }
    default:
      return 'The arguments could not be read.';
  }
}

/** Library option names in messages from the package's functions, as this CLI spells them. */
const CLI_WORDS: readonly (readonly [string, string])[] = [
  ['Pass `replaceAuth: true` (CLI: --replace-auth)', 'Pass --replace-auth'],
  ['`replaceAuth`', '--replace-auth'],
  ['`folders`', '--folder'],
  ['`name`', '--name'],
  ['`tokenScope`', '--token-scope'],
  ['`refreshWindow`', '--refresh-window'],
  ['`expiryTime`', '--expiry'],
  ['`baseUrl`', '--base-url'],
  ['`keyId`', '--key-id'],
  ['`subAccount`', '--subaccount'],
];

/** A library message in the words of the command line. */
function inCliWords(message: string): string {
  let out = message;
  for (const [library, cli] of CLI_WORDS) out = out.split(library).join(cli);
  return out;
}

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

function emit(text: string, output: string | undefined, io: CliIo, options?: Private): void {
  if (output === undefined) io.stdout(text);
  else if (options?.private) writePrivate(output, text);
  else writeFileSync(output, text, 'utf8');
}

interface Private {
  private: true;
}

/**
 * Writes a file only its owner can read, also when it already exists: `writeFileSync`'s `mode`
 * applies only to a new file, so an existing 0644 file would keep its mode with the secret
 * inside. A new 0600 file in the same directory is renamed over the target (atomic, and it
 * replaces a symlink rather than writing through it).
 */
function writePrivate(output: string, text: string): void {
  const temp = join(
    dirname(output),
    `.${basename(output)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`,
  );
  try {
    writeFileSync(temp, text, { encoding: 'utf8', mode: 0o600, flag: 'wx' });
    chmodSync(temp, 0o600);
    renameSync(temp, output);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}

function environmentCommand(values: Values, io: CliIo): void {
  const flag = (name: string) => values[name] as string | undefined;
  const chain = readCredentialChain({
    flags: {
      account: flag('account'),
      baseUrl: flag('base-url'),
      keyId: flag('key-id'),
      subAccount: flag('subaccount'),
    },
    flagNames: {
      account: '--account',
      baseUrl: '--base-url',
      keyId: '--key-id',
      subAccount: '--subaccount',
    },
    keyFile: flag('key-file'),
    profile: flag('profile'),
    env: io.env,
    onWarning: (message: string) =>
      io.stderr(`lacework-postman environment: warning: ${message}\n`),
  });
  // A bad flag value is wrong usage (exit 2); a bad LW_* or profile value is configuration (3).
  const fromFlags = Object.entries(chain.settings).filter(([, setting]) =>
    setting.from.startsWith('--'),
  );
  try {
    chainSettings({ ...chain, settings: Object.fromEntries(fromFlags) });
  } catch (error) {
    if (isLaceworkAuthError(error)) throw new UsageError(error.message);
    throw error;
  }
  const found = chainSettings(chain);
  const options: EnvironmentOptions = {};
  if (found.baseUrl !== undefined) {
    if (chain.settings.account) options.account = found.account as string;
    else options.baseUrl = found.baseUrl;
  }
  if (found.keyId) options.keyId = found.keyId;
  if (found.subAccount) options.subAccount = found.subAccount;
  if (values.name !== undefined) options.name = values.name as string;
  if (values.expiry !== undefined) {
    const text = String(values.expiry);
    if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > 86_400) {
      throw new UsageError(
        `--expiry must be a whole number of seconds from 1 to 86400, got ${shown(text, NUMBER_SHAPE)}.`,
      );
    }
    options.expiryTime = Number(text);
  }
  const withSecret = values['include-secret'] === true;
  if (withSecret && !found.secret && chain.settings.keyId?.from === '--key-id') {
    // A key id typed on the command line goes with LW_API_SECRET unless LW_API_KEY names
    // another key.
    const envKey = io.env.LW_API_KEY || undefined;
    if (io.env.LW_API_SECRET && (envKey === undefined || envKey === found.keyId)) {
      found.secret = io.env.LW_API_SECRET;
    }
  }
  if (withSecret) {
    if (!found.secret) {
      const keyFrom = chain.settings.keyId?.from;
      throw new ConfigurationError(
        keyFrom
          ? `--include-secret: the key id comes from ${keyFrom}, which has no secret with it. Pass --key-file, or set LW_API_KEY and LW_API_SECRET together (or use a profile).`
          : '--include-secret: no secret found. Pass --key-file, set LW_API_KEY and LW_API_SECRET, or use a profile of ~/.lacework.toml (--profile).',
      );
    }
    options.secret = found.secret;
  }
  let environment: ReturnType<typeof createEnvironment>;
  try {
    environment = createEnvironment(options);
  } catch (error) {
    // A setting refused here (a secret pasted as --key-id) is wrong usage when a flag gave it.
    const option = isLaceworkAuthError(error) ? (error as { option?: string }).option : undefined;
    const setting =
      option === 'keyId' || option === 'subAccount' ? chain.settings[option] : undefined;
    if (!isLaceworkAuthError(error) || !setting) throw error;
    // Named as the user gave it: --key-id, LW_API_KEY, a profile's api_key.
    const message = error.message.replace(/^`\w+`/, setting.from);
    if (setting.from.startsWith('--')) throw new UsageError(message);
    throw new ConfigurationError(message);
  }
  const output = values.output as string | undefined;
  emit(json(environment), output, io, withSecret ? { private: true } : undefined);
  const where = output === undefined ? 'The environment above' : `Wrote ${output}; it`;
  if (withSecret) {
    io.stderr(
      `${where} holds the API secret of key ${keyIdHint(options.keyId ?? '', options.secret)}: do not share or commit it, and delete it when done.\n`,
    );
  } else {
    io.stderr(
      `${where} leaves lw_secret empty (safe to share). Set the secret in Postman, as the environment's secret-typed lw_secret.\n`,
    );
  }
  const fixes: Record<string, string> = {
    lw_base_url: 'lw_base_url (pass --account, set LW_ACCOUNT, or use a profile)',
    lw_key_id: 'lw_key_id (pass --key-file or --key-id, set LW_API_KEY, or use a profile)',
  };
  const missing = environment.values.filter((v) => v.value === '' && v.key in fixes);
  if (missing.length > 0) {
    io.stderr(`Still empty: ${missing.map((v) => fixes[v.key]).join('; ')}.\n`);
  }
}

/** Deprecated flags (see {@link DEPRECATED_FLAGS}) moved to their new names, with a warning. */
function renameDeprecated(values: Values, name: Command, io: CliIo): void {
  for (const [old, current] of Object.entries(DEPRECATED_FLAGS)) {
    if (values[old] === undefined) continue;
    if (values[current] !== undefined) {
      throw new UsageError(
        `--${old} is the deprecated name of --${current}; give only --${current}.`,
      );
    }
    io.stderr(`lacework-postman ${name}: warning: --${old} is deprecated; use --${current}.\n`);
    values[current] = values[old];
    delete values[old];
  }
}

/**
 * Runs the `lacework-postman` CLI with `argv` (without node and the script) and returns the exit
 * code. Never throws; errors are written to `io.stderr`.
 */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    (command === undefined ? io.stderr : io.stdout)(`${HELP}\n`);
    return command === undefined ? EXIT_USAGE : EXIT_OK;
  }
  if (!(command in OPTIONS)) {
    io.stderr(`lacework-postman: unknown command ${shown(command, COMMAND_SHAPE)}.\n\n${HELP}\n`);
    return EXIT_USAGE;
  }
  const name = command as Command;
  try {
    if (rest.includes('--help') || rest.includes('-h')) {
      io.stdout(`${COMMAND_HELP[name]}\n`);
      return EXIT_OK;
    }
    let parsed: { values: Values; positionals: string[] };
    try {
      parsed = parseArgs({
        args: rest,
        options: OPTIONS[name],
        allowPositionals: name === 'inject',
        strict: true,
      }) as { values: Values; positionals: string[] };
    } catch (error) {
      throw new UsageError(parseError(error as NodeJS.ErrnoException, name));
    }
    const { values, positionals } = parsed;
    renameDeprecated(values, name, io);
    const output = values.output as string | undefined;
    switch (name) {
      case 'collection': {
        const collection = createCollection({
          ...scriptOptions(values),
          ...(values.name === undefined ? {} : { name: values.name as string }),
          ...(values.folder === undefined ? {} : { folders: values.folder as string[] }),
        });
        emit(json(collection.toJSON()), output, io);
        if (output !== undefined) {
          io.stderr(
            `Wrote ${output}. Import it in Postman, or run: postman collection run ${output} --ignore-redirects --env-var lw_base_url=... --env-var lw_key_id=... --env-var lw_secret=... (--ignore-redirects keeps a redirect from carrying the secret elsewhere)\n`,
          );
        }
        return EXIT_OK;
      }
      case 'inject': {
        if (positionals.length !== 1) {
          throw new UsageError(
            'inject needs exactly one input file: inject <in.json> [-o out.json].',
          );
        }
        const input = positionals[0] as string;
        let text: string;
        try {
          text = readFileSync(input, 'utf8');
        } catch (error) {
          io.stderr(
            `lacework-postman: cannot read ${shown(input, PATH_SHAPE)} (${(error as NodeJS.ErrnoException).code}).\n`,
          );
          return EXIT_FAILURE;
        }
        const result = addLaceworkAuth(text, {
          ...scriptOptions(values),
          ...(values['replace-auth'] ? { replaceAuth: true } : {}),
        });
        emit(json(result), output, io);
        if (output !== undefined) io.stderr(`Wrote ${output} with Lacework auth.\n`);
        return EXIT_OK;
      }
      case 'script':
        emit(generatePreRequestScript(scriptOptions(values)), output, io);
        return EXIT_OK;
      case 'environment':
        environmentCommand(values, io);
        return EXIT_OK;
    }
  } catch (error) {
    if (error instanceof UsageError) {
      const message = withoutEchoes(error.message, [...rest, io.env.LW_API_SECRET]);
      io.stderr(`lacework-postman ${name}: ${message}\nRun 'lacework-postman ${name} --help'.\n`);
      return EXIT_USAGE;
    }
    if (error instanceof ConfigurationError) {
      io.stderr(`lacework-postman ${name}: ${error.message}\n`);
      return EXIT_CONFIGURATION;
    }
    // collection and script take nothing but flags: a rejected option is wrong usage.
    if (
      isLaceworkAuthError(error) &&
      error.code === 'ERR_LW_INVALID_OPTION' &&
      (name === 'collection' || name === 'script')
    ) {
      io.stderr(
        `lacework-postman ${name}: ${inCliWords(error.message)}\nRun 'lacework-postman ${name} --help'.\n`,
      );
      return EXIT_USAGE;
    }
    if (isLaceworkAuthError(error)) {
      // Core's messages (a base URL, a key file) may quote a value typed on the command line.
      const message = withoutEchoes(inCliWords(error.message), [...rest, io.env.LW_API_SECRET]);
      io.stderr(`lacework-postman ${name}: ${message}\n`);
      // environment reads the key's settings (configuration); inject's input is a file.
      return name === 'environment' ? exitCodeFor(error) : EXIT_FAILURE;
    }
    // A file system error's message holds the path as typed: show it only when it is safe.
    const { code, syscall, path } = error as NodeJS.ErrnoException;
    io.stderr(
      code && syscall
        ? `lacework-postman ${name}: ${syscall} failed (${code})${path ? ` for ${shown(path, PATH_SHAPE)}` : ''}.\n`
        : `lacework-postman ${name}: ${shown((error as Error).message, /^[^\n]{1,300}$/)}\n`,
    );
    return EXIT_FAILURE;
  }
  return EXIT_OK;
}
