#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { SAFE_INPUT, showInput } from '../protocol/redact.js';
import { createTokenProvider } from '../provider/token-provider.js';
import { VERSION } from '../version.js';
import { EXIT_CODES } from './exit-codes.js';
import {
  type CliKey,
  clearCachedToken,
  inCliWords,
  KEY_FLAGS,
  KEY_FLAGS_HELP,
  keyFromFlags,
  UsageError,
} from './key.js';
import { explained, failure, type Io, runIfMain, usage, usageProblem } from './shared.js';

export { isTruthy } from './key.js';
export type { Io } from './shared.js';

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

function parse(args: string[]) {
  return parseArgs({ args, strict: true, allowPositionals: true, options: KEY_FLAGS });
}

runIfMain(import.meta.url, main);
