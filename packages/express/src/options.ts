import {
  InvalidOptionError,
  isLaceworkAuthError,
  type TokenProvider,
  type TokenProviderOptions,
} from '@lacework-auth/core';
import { type SharedLacework, sharedLacework, sharedLaceworkFor } from './shared-provider.js';

/**
 * How the middleware gets its tokens: either core's provider options (`account`, `baseUrl`,
 * `keyId`, `secret`, `subAccount`, `orgAccess`, `profile`, `expiryTime`, `store`, …; see
 * `createTokenProvider` in `@lacework-auth/core`) or a ready `tokenProvider`. With neither, core
 * reads `LW_*` environment variables and `~/.lacework.toml` like the Lacework CLI.
 */
export interface ProviderOptions extends TokenProviderOptions {
  /**
   * A provider you built with `createTokenProvider`. Use it to share one provider with the rest
   * of your app; then no other provider option may be given.
   * @default a provider shared by every middleware with identical options
   */
  tokenProvider?: TokenProvider;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'string'
    ? 'a string'
    : typeof value === 'number'
      ? String(value)
      : `a ${typeof value}`;
}

/** Checks that options are undefined or a plain object and returns a shallow copy. */
export function optionsObject(options: unknown, factory: string): Record<string, unknown> {
  if (options === undefined) return {};
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new InvalidOptionError(
      `\`${factory}\` options must be an object, got ${describe(options)}.`,
    );
  }
  return { ...(options as Record<string, unknown>) };
}

/**
 * Takes this package's own options out of `options` (mutating it) and returns them, leaving
 * only core's provider options behind.
 */
export function takeOwnOptions<K extends string>(
  options: Record<string, unknown>,
  names: readonly K[],
): Partial<Record<K, unknown>> {
  const own: Partial<Record<K, unknown>> = {};
  for (const name of names) {
    if (name in options) {
      own[name] = options[name];
      delete options[name];
    }
  }
  return own;
}

/**
 * The shared provider for the remaining (core) options. Core validates them and throws
 * `ERR_LW_INVALID_OPTION` naming the option; unknown names are refused there too.
 */
export function resolveShared(
  coreOptions: Record<string, unknown>,
  factory: string,
  ownNames: readonly string[],
): SharedLacework {
  const { tokenProvider, ...rest } = coreOptions;
  if (tokenProvider !== undefined) {
    const candidate = tokenProvider as Partial<TokenProvider> | null;
    if (
      typeof candidate !== 'object' ||
      candidate === null ||
      typeof candidate.getToken !== 'function' ||
      typeof candidate.invalidate !== 'function' ||
      typeof candidate.baseUrl !== 'string'
    ) {
      throw new InvalidOptionError(
        `\`tokenProvider\` must be a provider from createTokenProvider() (getToken, invalidate, baseUrl), got ${describe(tokenProvider)}.`,
        { option: 'tokenProvider' },
      );
    }
    const others = Object.keys(rest).filter((name) => rest[name] !== undefined);
    if (others.length > 0) {
      throw new InvalidOptionError(
        `\`${factory}\` got \`tokenProvider\` together with ${others.map((n) => `\`${n}\``).join(', ')}; configure those on the provider instead.`,
        { option: others[0] },
      );
    }
    return sharedLaceworkFor(tokenProvider as TokenProvider);
  }
  try {
    return sharedLacework(rest as TokenProviderOptions);
  } catch (error) {
    throw withFactoryName(error, factory, ownNames);
  }
}

/**
 * Core reports an unknown option as "`createTokenProvider` got an unknown option …", knowing only
 * its own names. Say which factory the user called, and suggest this package's options too
 * (`maxBodysize` → `maxBodySize`), from the error's `option`, `suggestion` and `knownOptions`
 * fields. Any other error is returned unchanged.
 */
function withFactoryName(error: unknown, factory: string, ownNames: readonly string[]): unknown {
  if (!isLaceworkAuthError(error, 'ERR_LW_INVALID_OPTION')) return error;
  const { option, suggestion, knownOptions } = error as InvalidOptionError;
  // Only an unknown option carries `knownOptions`; a bad value already names the right option.
  if (option === undefined || knownOptions === undefined) return error;
  const ours = [...ownNames, 'tokenProvider'];
  const close = suggestion ?? ours.find((name) => name.toLowerCase() === option.toLowerCase());
  const known = [...ours, ...knownOptions];
  const hint = close ? ` Did you mean \`${close}\`?` : ` Known options: ${known.join(', ')}.`;
  return new InvalidOptionError(`\`${factory}\` got an unknown option \`${option}\`.${hint}`, {
    cause: error,
    option,
    suggestion: close,
    knownOptions: known,
  });
}

/** Refuses option names a factory does not know, suggesting the one in another case. */
export function assertKnown(
  options: Record<string, unknown>,
  known: readonly string[],
  factory: string,
): void {
  for (const key of Object.keys(options)) {
    if (known.includes(key)) continue;
    const close = known.find((name) => name.toLowerCase() === key.toLowerCase());
    const shown = /^[A-Za-z][A-Za-z0-9]{0,39}$/.test(key) ? `\`${key}\`` : '(not shown)';
    throw new InvalidOptionError(
      `\`${factory}\` got an unknown option ${shown}.${close ? ` Did you mean \`${close}\`?` : ` Known options: ${known.join(', ')}.`}`,
      { option: close ? key : undefined, suggestion: close, knownOptions: known },
    );
  }
}

/** Checks an optional boolean option. */
export function booleanOption(value: unknown, name: string, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') {
    throw new InvalidOptionError(`\`${name}\` must be a boolean, got ${describe(value)}.`, {
      option: name,
    });
  }
  return value;
}

/** Checks an optional integer option within a range. */
export function integerOption(
  value: unknown,
  name: string,
  fallback: number,
  { min, max, unit }: { min: number; max: number; unit: string },
): number {
  if (value === undefined) return fallback;
  if (value === Number.POSITIVE_INFINITY && max === Number.POSITIVE_INFINITY) return value;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const range =
      max === Number.POSITIVE_INFINITY ? `>= ${min} (or Infinity)` : `from ${min} to ${max}`;
    throw new InvalidOptionError(
      `\`${name}\` must be an integer ${range} (${unit}), got ${describe(value)}.`,
      { option: name },
    );
  }
  return value;
}
