import type { ResolvedCredentials } from '../credentials/types.js';
import { InvalidOptionError } from '../protocol/errors.js';
import { describe } from '../protocol/validate.js';
import type { WarningHandler } from '../toolkit/warnings.js';
import {
  budgetId,
  createRateBudget,
  isRateBudget,
  type RateBudget,
  type RateBudgetOptions,
} from './rate-budget.js';

/**
 * A provider's `budget` option as a budget: `false` → none; a budget → itself; options (or
 * nothing) → a budget keyed by the base URL and key ID, so that every provider of one key in the
 * process (or sharing a store) draws on one budget. A key given as a function is keyed by the
 * base URL alone: rotated keys of one user share the user's limit.
 */
export function budgetFor(
  value: RateBudgetOptions | RateBudget | false | undefined,
  key: Pick<ResolvedCredentials, 'baseUrl' | 'keyId'>,
  onWarning: WarningHandler,
): RateBudget | undefined {
  if (value === false) return undefined;
  if (isRateBudget(value)) return value;
  if (
    value !== undefined &&
    (value === null || typeof value !== 'object' || Array.isArray(value))
  ) {
    throw new InvalidOptionError(
      `\`budget\` must be false, { limit?, windowMs?, maxWait?, store?, id? } or a budget from createRateBudget(), got ${describe(value)}.`,
      { option: 'budget' },
    );
  }
  const options = value ?? {};
  return createRateBudget({
    onWarning,
    ...options,
    id: options.id ?? budgetId(key.baseUrl, key.keyId),
  });
}
