import { cacheKey } from '../cache/cache-key.js';
import {
  type CredentialChain,
  chainCredentials,
  chainSettings,
  explainChain,
  explainedValue,
  readCredentialChain,
} from '../credentials/chain.js';
import type { ResolvedCredentials } from '../credentials/types.js';
import { isLaceworkAuthError } from '../protocol/errors.js';
import { keyIdHint, SAFE_INPUT, showInput } from '../protocol/redact.js';
import type { TokenProviderOptions } from '../provider/options.js';
import { defaultCacheDir, fileStore } from '../stores/file.js';

// What lacework-token and lacework-api share: the key found from flags, LW_* and the profile
// (flags first, as the Lacework CLI), the token cache, --explain and --clear-cache, and messages
// in the words of the command line.

/** The flags both CLIs read for the key, the token and the cache. */
export const KEY_FLAGS = {
  profile: { type: 'string' },
  account: { type: 'string' },
  subaccount: { type: 'string' },
  'key-file': { type: 'string' },
  expiry: { type: 'string' },
  timeout: { type: 'string' },
  json: { type: 'boolean' },
  nocache: { type: 'boolean' },
  'no-cache': { type: 'boolean' },
  explain: { type: 'boolean' },
  'clear-cache': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const;

/** Help lines for {@link KEY_FLAGS}. */
export const KEY_FLAGS_HELP = `  --profile <name>      profile in ~/.lacework.toml (default: $LW_PROFILE or "default")
  --account <name>      account: acme, acme.lacework.net or acme.fra.lacework.net
  --subaccount <name>   act on this sub-account (Account-Name header; default: $LW_SUBACCOUNT)
  --key-file <path>     API key JSON file downloaded from the Lacework console (wins over LW_*)
  --expiry <seconds>    token lifetime, 1..86400 (default: 3600)
  --timeout <seconds>   how long one request to Lacework may take, 1..600 (default: 30)
  --json                machine-readable output, errors too ({"error": {"code", "message"}})
  --nocache             neither read nor write the token cache (also: LW_NOCACHE=1; the
                        Lacework CLI's name; --no-cache is its deprecated spelling)
  --explain             print where each setting comes from (never the secret), then exit
  --clear-cache         remove this key's cached token, then exit
  -h, --help            show this help
  -v, --version         show the version`;

/** Values of {@link KEY_FLAGS} as parseArgs gives them. */
export interface KeyFlagValues {
  profile?: string | undefined;
  account?: string | undefined;
  subaccount?: string | undefined;
  'key-file'?: string | undefined;
  expiry?: string | undefined;
  timeout?: string | undefined;
  json?: boolean | undefined;
  nocache?: boolean | undefined;
  'no-cache'?: boolean | undefined;
  explain?: boolean | undefined;
  'clear-cache'?: boolean | undefined;
  help?: boolean | undefined;
  version?: boolean | undefined;
}

/** A problem with how the command was called (exit 2). */
export class UsageError extends Error {}

/** What the flags, the environment and the profile give a CLI. */
export interface CliKey {
  chain: CredentialChain;
  /** Options for `createTokenProvider` (the key resolved here, in CLI words). */
  options: TokenProviderOptions;
  credentials: ResolvedCredentials;
  /** The token cache directory, or `undefined` with --no-cache / LW_NOCACHE. */
  cacheDir: string | undefined;
}

const FLAG_NAMES = { account: '--account', subAccount: '--subaccount' } as const;

/**
 * Reads the key for a CLI. A bad value typed on the command line is a {@link UsageError}; one
 * from `LW_*`, the profile or the key file is core's error, named where it came from.
 *
 * @throws {UsageError | LaceworkAuthError}
 */
export function keyFromFlags(
  values: KeyFlagValues,
  env: Record<string, string | undefined>,
  onWarning: (message: string) => void,
): CliKey {
  const expiryTime = seconds(values.expiry, '--expiry', 86_400);
  const timeout = seconds(values.timeout, '--timeout', 600);
  const chain = chainFromFlags(values, env, onWarning);
  const typed = Object.entries(chain.settings).filter(([, s]) => s.from.startsWith('--'));
  try {
    chainSettings({ ...chain, settings: Object.fromEntries(typed) });
  } catch (error) {
    if (isLaceworkAuthError(error)) throw new UsageError(error.message);
    throw error;
  }
  const credentials = chainCredentials(chain) as ResolvedCredentials;
  if (values['no-cache'] === true)
    onWarning("--no-cache is deprecated; use --nocache (the Lacework CLI's name).");
  const noCache =
    values.nocache === true || values['no-cache'] === true || isTruthy(env.LW_NOCACHE);
  const cacheDir = noCache ? undefined : defaultCacheDir(env);
  const { baseUrl, keyId, secret, subAccount, orgAccess } = credentials;
  const options: TokenProviderOptions = {
    credentials: { keyId, secret },
    baseUrl,
    subAccount,
    orgAccess,
    env: {},
    onWarning,
  };
  if (expiryTime !== undefined) options.expiryTime = expiryTime;
  if (timeout !== undefined) options.timeout = timeout * 1000;
  if (cacheDir !== undefined) options.store = fileStore({ dir: cacheDir, onWarning });
  return { chain, options, credentials, cacheDir };
}

/** The credential chain as the flags, `env` and the profile give it, not yet validated. */
export function chainFromFlags(
  values: KeyFlagValues,
  env: Record<string, string | undefined>,
  onWarning: (message: string) => void,
): CredentialChain {
  return readCredentialChain({
    flags: { account: values.account, subAccount: values.subaccount },
    flagNames: FLAG_NAMES,
    keyFile: values['key-file'],
    profile: values.profile,
    env,
    onWarning,
  });
}

/**
 * `--explain`: the settings found and where from, printed even when they are incomplete or
 * unusable (then `error` says why); the base URL once it resolves.
 */
export function explain(
  values: KeyFlagValues,
  env: Record<string, string | undefined>,
  onWarning: (message: string) => void,
  json: boolean,
): { text: string; error?: unknown } {
  const chain = chainFromFlags(values, env, onWarning);
  const noCache =
    values.nocache === true || values['no-cache'] === true || isTruthy(env.LW_NOCACHE);
  const key = { chain, cacheDir: noCache ? undefined : defaultCacheDir(env) };
  let baseUrl: string | undefined;
  let error: unknown;
  try {
    baseUrl = chainCredentials(chain).baseUrl;
  } catch (caught) {
    error = caught;
  }
  const text = json ? explainJson(key, baseUrl) : explainText(key, baseUrl);
  return error === undefined ? { text } : { text, error };
}

/** An integer number of seconds from 1 to `max`, or `undefined` when the flag is not given. */
function seconds(value: string | undefined, flag: string, max: number): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!/^\d+$/.test(value) || number < 1 || number > max) {
    throw new UsageError(
      `${flag} must be a whole number of seconds from 1 to ${max}, got ${showInput(value, SAFE_INPUT.integer)}.`,
    );
  }
  return number;
}

/** `--explain`: where each setting comes from, the base URL and the cache; never the secret. */
export function explainText(key: Pick<CliKey, 'chain' | 'cacheDir'>, baseUrl?: string): string {
  const lines = explainChain(key.chain);
  // The base URL an account resolves to; a base URL set as such is on its own line already.
  if (baseUrl !== undefined && !key.chain.settings.baseUrl) {
    lines.push(`${'base URL:'.padEnd(13)}${baseUrl}`);
  }
  lines.push(
    `${'token cache:'.padEnd(13)}${key.cacheDir === undefined ? 'off (--nocache or LW_NOCACHE)' : `${showInput(key.cacheDir, SAFE_INPUT.path, 'bare')} (files of mode 0600, no secret in them)`}`,
  );
  return `${lines.join('\n')}\n`;
}

/** `--explain --json`: the same as an object; the secret only as `{ set: true, from }`. */
export function explainJson(key: Pick<CliKey, 'chain' | 'cacheDir'>, baseUrl?: string): string {
  const settings: Record<string, unknown> = {
    profile: { value: key.chain.profile, from: key.chain.profileFrom },
  };
  for (const [field, setting] of Object.entries(key.chain.settings)) {
    settings[field] =
      field === 'secret'
        ? { set: true, from: setting.from }
        : field === 'keyId'
          ? { value: keyIdHint(String(setting.value)), from: setting.from }
          : typeof setting.value === 'boolean'
            ? setting
            : // As the text shows it: a secret pasted as the account or sub-account is not repeated.
              { value: explainedValue(setting.value), from: setting.from };
  }
  return `${JSON.stringify({ ...settings, baseUrl, tokenCache: key.cacheDir ?? null })}\n`;
}

/** What `--clear-cache` did. */
export interface ClearedCache {
  /** True when a cached token was there and is gone. */
  removed: boolean;
  /** The cache directory; `null` when the cache is off. */
  tokenCache: string | null;
  /** What to print (text mode). */
  message: string;
}

/** `--clear-cache`: removes the cached token of this key (and expiry); says what it did. */
export async function clearCachedToken(key: CliKey): Promise<ClearedCache> {
  if (key.cacheDir === undefined) {
    return {
      removed: false,
      tokenCache: null,
      message: 'The token cache is off (--nocache or LW_NOCACHE): nothing to clear.',
    };
  }
  const expiry = key.options.expiryTime ?? 3600;
  const store = fileStore({ dir: key.cacheDir });
  const name = cacheKey(key.credentials, expiry);
  // Deleted either way: a file the store no longer hands out (expired, an older format) still
  // holds a token, and clearing the cache must not leave it behind.
  const removed = Boolean(await store.get(name));
  await store.delete(name);
  const where = showInput(key.cacheDir, SAFE_INPUT.path, 'bare');
  const which = `key ${keyIdHint(key.credentials.keyId)} (expiry ${expiry} s)`;
  return {
    removed,
    tokenCache: key.cacheDir,
    message: removed
      ? `Removed the cached token of ${which} from ${where}.`
      : `No cached token of ${which} in ${where}: nothing to clear.`,
  };
}

/** Library option names in core's messages, as the command line spells them. */
const CLI_WORDS: readonly (readonly [string, string])[] = [
  ['raise `timeout`', 'raise --timeout'],
  ['`timeout`', '--timeout'],
  ['`expiryTime`', '--expiry'],
  ['`keyFile`', '--key-file'],
  ['`profile` option', '--profile'],
];

/** A library message in the words of the command line. */
export function inCliWords(message: string): string {
  let out = message;
  for (const [library, cli] of CLI_WORDS) out = out.split(library).join(cli);
  return out;
}

/** Whether an environment flag such as LW_NOCACHE is set (not empty, 0, false or no). */
export function isTruthy(value: string | undefined): boolean {
  return value !== undefined && value !== '' && !/^(0|false|no)$/i.test(value);
}
