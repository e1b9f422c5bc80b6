import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isLaceworkAuthError } from '../protocol/errors.js';
import { containsSecretLike, SAFE_INPUT, showInput } from '../protocol/redact.js';
import { EXIT_CODES, exitCodeFor } from './exit-codes.js';
import { closestFlag } from './flags.js';
import { explain, inCliWords, type KeyFlagValues } from './key.js';

/** Where a CLI writes, and the environment it reads. */
export type Io = {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: Record<string, string | undefined>;
};

/**
 * `--explain`: the settings and their sources on stdout, also when they cannot work; then why not
 * on stderr, with that failure's exit code.
 */
export function explained(
  io: Io,
  command: string,
  values: KeyFlagValues,
  json: boolean,
  onWarning: (message: string) => void,
): number {
  const { text, error } = explain(values, io.env, onWarning, json);
  io.stdout(text);
  return error === undefined ? EXIT_CODES.ok : failure(io, command, error, json, true);
}

/** Prints a usage problem (exit 2). */
export function usage(io: Io, command: string, problem: string, json: boolean): number {
  io.stderr(
    json
      ? `${JSON.stringify({ error: { code: 'ERR_USAGE', message: problem } })}\n`
      : `${command}: ${problem}\nTry '${command} --help'.\n`,
  );
  return EXIT_CODES.usage;
}

/**
 * Prints a failure with its code, in CLI words (`hide` removes tokens a server echoed), and
 * returns its exit code. With `explain`, says that the settings shown cannot be used.
 */
export function failure(
  io: Io,
  command: string,
  error: unknown,
  json: boolean,
  explain = false,
  hide: (text: string) => string = (text) => text,
): number {
  if (isLaceworkAuthError(error)) {
    const message = hide(inCliWords(error.message));
    io.stderr(
      json
        ? `${JSON.stringify({ error: { code: error.code, message } })}\n`
        : `${command}: ${explain ? 'these settings cannot be used: ' : ''}${message} [${error.code}]\n`,
    );
  } else {
    // Foreign errors could quote anything; print only their kind.
    const kind = (error as Error)?.name ?? 'unknown';
    io.stderr(
      json
        ? `${JSON.stringify({ error: { code: 'ERR_UNEXPECTED', message: `unexpected error (${kind})` } })}\n`
        : `${command}: unexpected error (${kind}).\n`,
    );
  }
  return exitCodeFor(error);
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
    const shown = showInput(unknown ?? '', SAFE_INPUT.flag, 'bare');
    if (shown.startsWith('(')) return `unknown option ${shown}.`;
    const names = [...known].filter((flag) => flag.startsWith('--')).map((flag) => flag.slice(2));
    const close = closestFlag(shown.replace(/^--?/, ''), names);
    return `unknown option '${shown}'.${close ? ` Did you mean --${close}?` : ''}`;
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
