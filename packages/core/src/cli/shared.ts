import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isLaceworkAuthError } from '../protocol/errors.js';
import { containsSecretLike, SAFE_INPUT, showInput } from '../protocol/redact.js';
import type { TokenProviderOptions } from '../provider/token-provider.js';
import { defaultCacheDir, fileStore } from '../stores/file.js';

/** Where a CLI writes, and the environment it reads. */
export type Io = {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
};

/**
 * The flags every lacework-auth CLI takes, with the meaning the Lacework CLI gives them: where the
 * key comes from (`--profile`, `--account`, `--key-file`), the token cache (`--no-cache`), help
 * and version.
 */
export const KEY_FLAGS = {
  profile: { type: 'string' },
  account: { type: 'string' },
  'key-file': { type: 'string' },
  'no-cache': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const;

/** The help lines of {@link KEY_FLAGS}, aligned for a usage text. */
export const KEY_FLAGS_HELP = `  --profile <name>     profile in ~/.lacework.toml (default: $LW_PROFILE or "default")
  --account <name>     account: acme, acme.lacework.net or acme.fra.lacework.net
  --key-file <path>    API key JSON file downloaded from the Lacework console
  --no-cache           neither read nor write the token cache (also: LW_NOCACHE=1)
  -h, --help           show this help
  -v, --version        show the version`;

/** Parsed values of {@link KEY_FLAGS}. */
export interface KeyFlagValues {
  profile?: string | undefined;
  account?: string | undefined;
  'key-file'?: string | undefined;
  'no-cache'?: boolean | undefined;
}

/**
 * Token provider options from the shared flags: the key found as the Lacework CLI finds it, and
 * tokens cached in the same 0600 files (`$XDG_CACHE_HOME/lacework-auth`) unless `--no-cache` or
 * `LW_NOCACHE` say otherwise, so `lacework-token` and `lacework-api` share one token.
 */
export function providerOptionsFrom(
  values: KeyFlagValues,
  io: Io,
  command: string,
): TokenProviderOptions {
  const onWarning = (message: string) => io.stderr(`${command}: warning: ${message}\n`);
  const options: TokenProviderOptions = { env: io.env, onWarning };
  if (values.profile !== undefined) options.profile = values.profile;
  if (values.account !== undefined) options.account = values.account;
  if (values['key-file'] !== undefined) options.keyFile = values['key-file'];
  if (values['no-cache'] !== true && !isTruthy(io.env.LW_NOCACHE)) {
    options.store = fileStore({ dir: defaultCacheDir(io.env), onWarning });
  }
  return options;
}

/** Whether an environment flag such as LW_NOCACHE is set (not empty, 0, false or no). */
export function isTruthy(value: string | undefined): boolean {
  return value !== undefined && value !== '' && !/^(0|false|no)$/i.test(value);
}

/** Exit status of a failure: 2 for bad options or account (usage), 1 for anything else. */
export function exitCodeOf(error: unknown): 1 | 2 {
  const usage =
    isLaceworkAuthError(error, 'ERR_LW_INVALID_OPTION') ||
    isLaceworkAuthError(error, 'ERR_LW_INVALID_BASE_URL');
  return usage ? 2 : 1;
}

/** Prints `error` for `command`: our errors with their code, foreign ones by kind only. */
export function report(
  error: unknown,
  io: Io,
  command: string,
  hide: (text: string) => string = (text) => text,
): void {
  if (isLaceworkAuthError(error)) {
    io.stderr(`${command}: ${hide(error.message)} [${error.code}]\n`);
  } else {
    // Foreign errors could quote anything; print only their kind.
    io.stderr(`${command}: unexpected error (${(error as Error)?.name ?? 'unknown'}).\n`);
  }
}

/**
 * What is wrong with the arguments. Node's own message for an unknown option quotes it, and a
 * secret given as `--<secret>` or `-x<secret>` would be printed: the flag is shown only when it
 * looks like one.
 */
export function usageProblem(
  error: unknown,
  args: string[],
  flags: Record<string, { type: string; short?: string }>,
): string {
  const code = (error as { code?: unknown })?.code;
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const known = new Set(
      Object.entries(flags).flatMap(([name, option]) => [
        `--${name}`,
        ...(option.short ? [`-${option.short}`] : []),
      ]),
    );
    const end = args.indexOf('--');
    const given = (end === -1 ? args : args.slice(0, end)).filter((arg) => /^-./.test(arg));
    const unknown = given.map((arg) => arg.split('=')[0] ?? arg).find((flag) => !known.has(flag));
    return `unknown option ${showInput(unknown ?? '', SAFE_INPUT.flag)}.`;
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    // Node names the (known) option only, e.g. "Option '--profile <value>' argument missing".
    const message = String((error as Error).message).split('\n')[0] ?? '';
    if (!containsSecretLike(message)) return message;
  }
  return 'invalid arguments.';
}

/** Runs `main` when `moduleUrl` is the script node was started with (not when imported). */
export function runIfMain(
  moduleUrl: string,
  main: (args: string[], io: Io) => Promise<number>,
): void {
  let isMain = false;
  try {
    isMain = realpathSync(process.argv[1] ?? '') === realpathSync(fileURLToPath(moduleUrl));
  } catch {
    isMain = false;
  }
  if (!isMain) return;
  main(process.argv.slice(2), {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
  }).then((code) => {
    process.exitCode = code;
  });
}
