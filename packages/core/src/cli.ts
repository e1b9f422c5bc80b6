#!/usr/bin/env node
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  type CliKey,
  clearCachedToken,
  explain,
  inCliWords,
  KEY_FLAGS,
  KEY_FLAGS_HELP,
  type KeyFlagValues,
  keyFromFlags,
  UsageError,
} from './cli-key.js';
import { isLaceworkAuthError } from './errors.js';
import { EXIT_CODES, exitCodeFor } from './exit-codes.js';
import { containsSecretLike, SAFE_INPUT, showInput } from './redact.js';
import { createTokenProvider } from './token-provider.js';
import { VERSION } from './version.js';

export { isTruthy } from './cli-key.js';

const HELP = `Usage: lacework-token [options]

Prints a Lacework API bearer token on stdout, for shell use:
  curl -H "Authorization: Bearer $(lacework-token)" https://acme.lacework.net/api/v2/UserProfile

The key is found as the Lacework CLI finds it, setting by setting: flags (--account,
--subaccount, and a key file named with --key-file) first, then LW_ACCOUNT, LW_API_SERVER_URL,
LW_API_KEY, LW_API_SECRET, LW_SUBACCOUNT, then the profile in ~/.lacework.toml. The key id and
the secret always come from the same place; --explain shows which. Tokens are cached in
$XDG_CACHE_HOME/lacework-auth (or ~/.cache/lacework-auth), mode 0600, and reused across runs until
they are about to expire.

Options:
${KEY_FLAGS_HELP}

With --json the token is printed as {"token": "...", "expiresAt": "..."}.

Exit codes: 0 done; 1 Lacework answered with an error; 2 wrong usage (unknown flag, bad value);
3 configuration (no key or account found, a key file, profile or LW_* value that cannot be used);
4 Lacework refused the key; 5 network (Lacework unreachable or too slow).`;

/** Where a CLI writes, and the environment it reads. */
export type Io = {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: Record<string, string | undefined>;
};

/** Runs the CLI with `args`; returns the exit code (see `EXIT_CODES`). */
export async function main(args: string[], io: Io): Promise<number> {
  const command = 'lacework-token';
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(args);
  } catch (error) {
    return usage(io, command, usageProblem(error, args, KEY_FLAGS), args.includes('--json'));
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout(`${HELP}\n`);
    return EXIT_CODES.ok;
  }
  if (values.version) {
    io.stdout(`${VERSION}\n`);
    return EXIT_CODES.ok;
  }
  const json = values.json === true;
  if (positionals.length > 0) {
    return usage(
      io,
      command,
      `unexpected argument ${showInput(positionals[0], SAFE_INPUT.name)}; lacework-token takes options only.`,
      json,
    );
  }
  const onWarning = (message: string) => io.stderr(`${command}: warning: ${inCliWords(message)}\n`);
  let key: CliKey | undefined;
  try {
    if (values.explain) return explained(io, command, values, json, onWarning);
    key = keyFromFlags(values, io.env, onWarning);
    if (values['clear-cache']) {
      io.stdout(`${await clearCachedToken(key)}\n`);
      return EXIT_CODES.ok;
    }
    const provider = createTokenProvider(key.options);
    const { token, expiresAt } = await provider.getToken();
    io.stdout(
      json ? `${JSON.stringify({ token, expiresAt: expiresAt.toISOString() })}\n` : `${token}\n`,
    );
    return EXIT_CODES.ok;
  } catch (error) {
    if (error instanceof UsageError) return usage(io, command, error.message, json);
    return failure(io, command, error, json, values.explain === true);
  }
}

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

function parse(args: string[]) {
  return parseArgs({ args, strict: true, allowPositionals: true, options: KEY_FLAGS });
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
    const close = closestFlag(
      shown,
      [...known].filter((flag) => flag.startsWith('--')),
    );
    return `unknown option '${shown}'.${close ? ` Did you mean ${close}?` : ''}`;
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    // Node names the (known) option only, e.g. "Option '--profile <value>' argument missing".
    const message = String((error as Error).message).split('\n')[0] ?? '';
    if (!containsSecretLike(message)) return message;
  }
  return 'invalid arguments.';
}

/**
 * The known flag `flag` was probably meant as: the one it starts or extends, or the only one within two
 * edits (one for short flags). Local to the CLIs until core's shared `closestName` (one-spec)
 * replaces it.
 */
function closestFlag(flag: string, known: readonly string[]): string | undefined {
  const lower = flag.toLowerCase();
  // A prefix (`--key-fil`), or a longer spelling (`--expiry-time` for `--expiry`).
  const started = known.filter(
    (name) => (lower.length >= 5 && name.startsWith(lower)) || lower.startsWith(`${name}-`),
  );
  if (started.length === 1) return started[0];
  const near = known.filter((name) => editDistance(lower, name) <= (lower.length < 7 ? 1 : 2));
  return near.length === 1 ? near[0] : undefined;
}

function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      next.push(Math.min((row[j] ?? 0) + 1, (next[j - 1] ?? 0) + 1, (row[j - 1] ?? 0) + cost));
    }
    row = next;
  }
  return row[b.length] ?? 0;
}

function isMain(): boolean {
  try {
    return realpathSync(process.argv[1] ?? '') === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isMain()) {
  main(process.argv.slice(2), {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
  }).then((code) => {
    process.exitCode = code;
  });
}
