import { closestName } from '../toolkit/options.js';

/**
 * The known flag (names without dashes) an unknown `name` was probably meant as, for "did you
 * mean" in every lacework-auth CLI: core's {@link closestName} (another case, or the only one
 * within two edits), else the only one it starts (`key-fil`) or extends (`expiry-time`).
 *
 * @example
 * ```ts
 * closestFlag('acount', ['account', 'profile']); // 'account'
 * closestFlag('expiry-time', ['expiry', 'json']); // 'expiry'
 * ```
 */
export function closestFlag(name: string, known: readonly string[]): string | undefined {
  const lower = name.toLowerCase();
  const close = closestName(lower, known);
  if (close !== undefined) return close;
  const related = known.filter(
    (flag) => (lower.length >= 3 && flag.startsWith(lower)) || lower.startsWith(`${flag}-`),
  );
  return related.length === 1 ? related[0] : undefined;
}
