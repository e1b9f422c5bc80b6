import {
  type InvalidOptionError,
  isLaceworkAuthError,
  type TokenProvider,
  type TokenProviderOptions,
} from '@lacework-auth/core';
import {
  assertNothingBesideProvider,
  assertOptionsObject,
  assertTokenProvider,
  HIDDEN_OPTION,
  unknownOptionError,
  validateBoolean,
  validateInteger,
} from '@lacework-auth/core/internal';
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

/** Checks that options are undefined or a plain object and returns a shallow copy. */
export function optionsObject(options: unknown, factory: string): Record<string, unknown> {
  return { ...assertOptionsObject(options, factory) };
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
    const provider = assertTokenProvider(tokenProvider);
    assertNothingBesideProvider(rest, [], factory);
    return sharedLaceworkFor(provider);
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
 * (`maxBodysize` → `maxBodySize`), from the error's `option` and `knownOptions` fields. Any other
 * error is returned unchanged.
 */
function withFactoryName(error: unknown, factory: string, ownNames: readonly string[]): unknown {
  if (!isLaceworkAuthError(error, 'ERR_LW_INVALID_OPTION')) return error;
  const { option, knownOptions } = error as InvalidOptionError;
  // Only an unknown option carries `knownOptions`; a bad value already names the right option.
  if (option === undefined || knownOptions === undefined || option === HIDDEN_OPTION) return error;
  return unknownOptionError(option, [...ownNames, 'tokenProvider', ...knownOptions], factory, {
    cause: error,
  });
}

/** Checks an optional boolean option. */
export function booleanOption(value: unknown, name: string, fallback: boolean): boolean {
  return validateBoolean(value, name) ?? fallback;
}

/** Checks an optional integer option within a range (`max` may be `Infinity`). */
export function integerOption(
  value: unknown,
  name: string,
  fallback: number,
  range: { min: number; max: number; unit: string },
): number {
  return validateInteger(value, name, range) ?? fallback;
}
