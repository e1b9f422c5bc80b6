import { createTokenProvider, type TokenProvider } from '../provider/token-provider.js';
import { VERSION } from '../version.js';
import { EXIT_CODES } from './exit-codes.js';
import {
  type CliKey,
  clearCachedToken,
  inCliWords,
  type KeyFlagValues,
  keyFromFlags,
  UsageError,
} from './key.js';
import { explained, failure, type Io, usage } from './shared.js';

// What lacework-token and lacework-api do before their own work, in the same order and words.

/** `--help` and `--version`: printed, exit 0. `undefined` for neither. */
export function helpOrVersion(
  io: Io,
  values: { help?: boolean | undefined; version?: boolean | undefined },
  help: string,
): number | undefined {
  if (!values.help && !values.version) return undefined;
  io.stdout(`${values.help ? help : VERSION}\n`);
  return EXIT_CODES.ok;
}

/**
 * `--explain` and `--clear-cache` (printed, with their exit code), else the key found from the
 * flags, `LW_*` and the profile, and a token provider for it. A problem is printed, as a usage
 * error (exit 2) or a failure with its code, and its exit code returned.
 */
export async function startKey(
  io: Io,
  command: string,
  flags: KeyFlagValues,
  json: boolean,
): Promise<{ exit: number } | { key: CliKey; provider: TokenProvider }> {
  const onWarning = (message: string) => io.stderr(`${command}: warning: ${inCliWords(message)}\n`);
  try {
    if (flags.explain) return { exit: explained(io, command, flags, json, onWarning) };
    const key = keyFromFlags(flags, io.env, onWarning);
    if (flags['clear-cache']) {
      const { message, ...cleared } = await clearCachedToken(key);
      io.stdout(json ? `${JSON.stringify(cleared)}\n` : `${message}\n`);
      return { exit: EXIT_CODES.ok };
    }
    return { key, provider: createTokenProvider(key.options) };
  } catch (error) {
    if (error instanceof UsageError) return { exit: usage(io, command, error.message, json) };
    return { exit: failure(io, command, error, json, flags.explain === true) };
  }
}
