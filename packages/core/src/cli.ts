#!/usr/bin/env node
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { isLaceworkAuthError } from './protocol/errors.js';
import { containsSecretLike, SAFE_INPUT, showInput } from './protocol/redact.js';
import { validateExpiryTime } from './protocol/validate.js';
import { defaultCacheDir, fileStore } from './stores/file.js';
import { createTokenProvider, type TokenProviderOptions } from './token-provider.js';
import { VERSION } from './version.js';

const HELP = `Usage: lacework-token [options]

Prints a Lacework API bearer token on stdout, for shell use:
  curl -H "Authorization: Bearer $(lacework-token)" https://acme.lacework.net/api/v2/UserProfile

The key is found like the Lacework CLI does: LW_API_KEY / LW_API_SECRET / LW_ACCOUNT
(LW_SUBACCOUNT, LW_API_SERVER_URL), else the profile in ~/.lacework.toml, else --key-file.
Tokens are cached in $XDG_CACHE_HOME/lacework-auth (or ~/.cache/lacework-auth), mode 0600,
and reused across runs until they are about to expire.

Options:
  --profile <name>     profile in ~/.lacework.toml (default: $LW_PROFILE or "default")
  --account <name>     account: acme, acme.lacework.net or acme.fra.lacework.net
  --key-file <path>    API key JSON file downloaded from the Lacework console
  --expiry <seconds>   token lifetime, 1..86400 (default: 3600)
  --json               print {"token": "...", "expiresAt": "..."} instead of the bare token
  --no-cache           neither read nor write the token cache (also: LW_NOCACHE=1)
  -h, --help           show this help
  -v, --version        show the version

Exit status: 0 success, 1 failure (key rejected, network, ...), 2 usage error.`;

/** Where a CLI writes, and the environment it reads. */
export type Io = {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
};

/** Runs the CLI with `args`; returns the exit code. */
export async function main(args: string[], io: Io): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(args);
  } catch (error) {
    io.stderr(`lacework-token: ${usageProblem(error, args)}\nTry 'lacework-token --help'.\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout(`${HELP}\n`);
    return 0;
  }
  if (values.version) {
    io.stdout(`${VERSION}\n`);
    return 0;
  }
  if (positionals.length > 0) {
    io.stderr(
      `lacework-token: unexpected argument ${showInput(positionals[0], SAFE_INPUT.name)}; lacework-token takes options only.\nTry 'lacework-token --help'.\n`,
    );
    return 2;
  }
  const onWarning = (message: string) => io.stderr(`lacework-token: warning: ${message}\n`);
  const options: TokenProviderOptions = { env: io.env, onWarning };
  if (values.expiry !== undefined) {
    try {
      if (!/^\d+$/.test(values.expiry)) throw new Error('not an integer');
      options.expiryTime = validateExpiryTime(Number(values.expiry), '--expiry');
    } catch {
      io.stderr(
        `lacework-token: --expiry must be an integer from 1 to 86400 (seconds), got ${showInput(values.expiry, SAFE_INPUT.integer)}.\n`,
      );
      return 2;
    }
  }
  if (values.profile !== undefined) options.profile = values.profile;
  if (values.account !== undefined) options.account = values.account;
  if (values['key-file'] !== undefined) options.keyFile = values['key-file'];
  const noCache = values['no-cache'] === true || isTruthy(io.env.LW_NOCACHE);
  let provider: ReturnType<typeof createTokenProvider>;
  try {
    if (!noCache) options.store = fileStore({ dir: defaultCacheDir(io.env), onWarning });
    provider = createTokenProvider(options);
  } catch (error) {
    // A bad --account (or LW_* value) is a usage problem: exit 2, like a bad flag.
    const usage =
      isLaceworkAuthError(error, 'ERR_LW_INVALID_OPTION') ||
      isLaceworkAuthError(error, 'ERR_LW_INVALID_BASE_URL');
    report(error, io);
    return usage ? 2 : 1;
  }
  try {
    const { token, expiresAt } = await provider.getToken();
    io.stdout(
      values.json
        ? `${JSON.stringify({ token, expiresAt: expiresAt.toISOString() })}\n`
        : `${token}\n`,
    );
    return 0;
  } catch (error) {
    report(error, io);
    return 1;
  }
}

function report(error: unknown, io: Io) {
  if (isLaceworkAuthError(error)) {
    io.stderr(`lacework-token: ${error.message} [${error.code}]\n`);
  } else {
    // Foreign errors could quote anything; print only their kind.
    io.stderr(`lacework-token: unexpected error (${(error as Error)?.name ?? 'unknown'}).\n`);
  }
}

const OPTIONS = {
  profile: { type: 'string' },
  account: { type: 'string' },
  'key-file': { type: 'string' },
  expiry: { type: 'string' },
  json: { type: 'boolean' },
  'no-cache': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const;

function parse(args: string[]) {
  return parseArgs({ args, strict: true, allowPositionals: true, options: OPTIONS });
}

/**
 * What is wrong with the arguments. Node's own message for an unknown option quotes it, and a
 * secret given as `--<secret>` or `-x<secret>` would be printed: the flag is shown only when it
 * looks like one.
 */
function usageProblem(error: unknown, args: string[]): string {
  const code = (error as { code?: unknown })?.code;
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const known = new Set(
      Object.entries(OPTIONS).flatMap(([name, option]) => [
        `--${name}`,
        ...('short' in option ? [`-${option.short}`] : []),
      ]),
    );
    const end = args.indexOf('--');
    const flags = (end === -1 ? args : args.slice(0, end)).filter((arg) => /^-./.test(arg));
    const unknown = flags.map((arg) => arg.split('=')[0] ?? arg).find((flag) => !known.has(flag));
    return `unknown option ${showInput(unknown ?? '', SAFE_INPUT.flag)}.`;
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    // Node names the (known) option only, e.g. "Option '--profile <value>' argument missing".
    const message = String((error as Error).message).split('\n')[0] ?? '';
    if (!containsSecretLike(message)) return message;
  }
  return 'invalid arguments.';
}

/** Whether an environment flag such as LW_NOCACHE is set (not empty, 0, false or no). */
export function isTruthy(value: string | undefined): boolean {
  return value !== undefined && value !== '' && !/^(0|false|no)$/i.test(value);
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
