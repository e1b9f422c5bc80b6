#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { SAFE_INPUT, showInput } from '../protocol/redact.js';
import { validateExpiryTime } from '../protocol/validate.js';
import { createTokenProvider } from '../provider/token-provider.js';
import { VERSION } from '../version.js';
import {
  exitCodeOf,
  type Io,
  KEY_FLAGS,
  KEY_FLAGS_HELP,
  providerOptionsFrom,
  report,
  runIfMain,
  usageProblem,
} from './shared.js';

export type { Io } from './shared.js';
export { isTruthy } from './shared.js';

const HELP = `Usage: lacework-token [options]

Prints a Lacework API bearer token on stdout, for shell use:
  curl -H "Authorization: Bearer $(lacework-token)" https://acme.lacework.net/api/v2/UserProfile

The key is found like the Lacework CLI does: LW_API_KEY / LW_API_SECRET / LW_ACCOUNT
(LW_SUBACCOUNT, LW_API_SERVER_URL), else the profile in ~/.lacework.toml, else --key-file.
Tokens are cached in $XDG_CACHE_HOME/lacework-auth (or ~/.cache/lacework-auth), mode 0600,
and reused across runs until they are about to expire.

Options:
  --expiry <seconds>   token lifetime, 1..86400 (default: 3600)
  --json               print {"token": "...", "expiresAt": "..."} instead of the bare token
${KEY_FLAGS_HELP}

Exit status: 0 success, 1 failure (key rejected, network, ...), 2 usage error.`;

/** Runs the CLI with `args`; returns the exit code. */
export async function main(args: string[], io: Io): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(args);
  } catch (error) {
    io.stderr(
      `lacework-token: ${usageProblem(error, args, OPTIONS)}\nTry 'lacework-token --help'.\n`,
    );
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
  let expiryTime: number | undefined;
  if (values.expiry !== undefined) {
    try {
      if (!/^\d+$/.test(values.expiry)) throw new Error('not an integer');
      expiryTime = validateExpiryTime(Number(values.expiry), '--expiry');
    } catch {
      io.stderr(
        `lacework-token: --expiry must be an integer from 1 to 86400 (seconds), got ${showInput(values.expiry, SAFE_INPUT.integer)}.\n`,
      );
      return 2;
    }
  }
  let provider: ReturnType<typeof createTokenProvider>;
  try {
    const options = providerOptionsFrom(values, io, 'lacework-token');
    if (expiryTime !== undefined) options.expiryTime = expiryTime;
    provider = createTokenProvider(options);
  } catch (error) {
    // A bad --account (or LW_* value) is a usage problem: exit 2, like a bad flag.
    report(error, io, 'lacework-token');
    return exitCodeOf(error);
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
    report(error, io, 'lacework-token');
    return 1;
  }
}

const OPTIONS = {
  ...KEY_FLAGS,
  expiry: { type: 'string' },
  json: { type: 'boolean' },
} as const;

function parse(args: string[]) {
  return parseArgs({ args, strict: true, allowPositionals: true, options: OPTIONS });
}

runIfMain(import.meta.url, main);
