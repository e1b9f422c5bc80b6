#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { SAFE_INPUT, showInput } from '../protocol/redact.js';
import { EXIT_CODES } from './exit-codes.js';
import { KEY_FLAGS, KEY_FLAGS_HELP } from './key.js';
import { failure, type Io, runIfMain, usage, usageProblem } from './shared.js';
import { helpOrVersion, startKey } from './start.js';

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
  const info = helpOrVersion(io, values, HELP);
  if (info !== undefined) return info;
  const json = values.json === true;
  if (positionals.length > 0) {
    return usage(
      io,
      command,
      `unexpected argument ${showInput(positionals[0], SAFE_INPUT.name)}; lacework-token takes options only.`,
      json,
    );
  }
  const started = await startKey(io, command, values, json);
  if ('exit' in started) return started.exit;
  try {
    const { token, expiresAt } = await started.provider.getToken();
    io.stdout(
      json ? `${JSON.stringify({ token, expiresAt: expiresAt.toISOString() })}\n` : `${token}\n`,
    );
    return EXIT_CODES.ok;
  } catch (error) {
    return failure(io, command, error, json);
  }
}

function parse(args: string[]) {
  return parseArgs({ args, strict: true, allowPositionals: true, options: KEY_FLAGS });
}

runIfMain(import.meta.url, main);
