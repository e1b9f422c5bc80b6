import { InvalidOptionError } from '../protocol/errors.js';
import { isShown, SAFE_INPUT, showInput } from '../protocol/redact.js';
import { describe } from '../protocol/validate.js';
import type { TokenProvider } from '../provider/token-provider.js';
import { HIDDEN_OPTION } from './options.js';

/**
 * Checks that `value` is a token provider (from `createTokenProvider`, or one with the same
 * `getToken`, `invalidate` and `baseUrl`) and returns it.
 */
export function assertTokenProvider(value: unknown, option = 'tokenProvider'): TokenProvider {
  const candidate = value as Partial<TokenProvider> | null;
  if (
    candidate === null ||
    typeof candidate !== 'object' ||
    typeof candidate.getToken !== 'function' ||
    typeof candidate.invalidate !== 'function' ||
    typeof candidate.baseUrl !== 'string'
  ) {
    throw new InvalidOptionError(
      `\`${option}\` must be a provider from createTokenProvider() (getToken, invalidate, baseUrl), got ${describe(value)}.`,
      { option },
    );
  }
  return candidate as TokenProvider;
}

/**
 * With a ready `tokenProvider`, the key options belong on the provider: any of `options` set
 * besides `allowed` is refused, naming them.
 */
export function assertNothingBesideProvider(
  options: Record<string, unknown>,
  allowed: readonly string[],
  factory: string,
): void {
  const others = Object.keys(options).filter(
    (name) => !allowed.includes(name) && name !== 'tokenProvider' && options[name] !== undefined,
  );
  if (others.length > 0) {
    throw new InvalidOptionError(
      `\`${factory}\` got \`tokenProvider\` together with ${others.map((n) => showInput(n, SAFE_INPUT.name, 'code')).join(', ')}; configure those on the provider instead.`,
      { option: isShown(others[0], SAFE_INPUT.name) ? others[0] : HIDDEN_OPTION },
    );
  }
}
