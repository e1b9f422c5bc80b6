/** What parseArgs was given for one flag. */
interface FlagSpec {
  type: 'string' | 'boolean';
  short?: string;
}

/**
 * Flags renamed for one vocabulary across the lacework-auth CLIs, still accepted (with a
 * warning) because 0.1.0 documented them: old name → new name.
 */
export const DEPRECATED_FLAGS: Readonly<Record<string, string>> = {
  store: 'token-scope',
  'sub-account': 'subaccount',
  'expiry-time': 'expiry',
};

/**
 * The message for an unknown flag: the flag when it looks like one (a secret typed as `--<secret>`
 * is described, never repeated), and the known flag it was probably meant as.
 */
export function unknownFlagMessage(flag: string, options: Record<string, FlagSpec>): string {
  const name = flag.replace(/^--?/, '').split('=')[0] ?? '';
  if (!/^[a-z][a-z0-9-]{0,30}$/i.test(name)) {
    return `Unknown option (${flag.length} characters, not shown).`;
  }
  const known = Object.keys(options).filter((option) => !(option in DEPRECATED_FLAGS));
  const close = closestFlag(name, known);
  const shown = `${flag.startsWith('--') ? '--' : '-'}${name}`;
  return close
    ? `Unknown option '${shown}'. Did you mean --${close}?`
    : `Unknown option '${shown}'.`;
}

/** The known flag within two edits of `name` (or a prefix of it), when exactly one is. */
function closestFlag(name: string, known: readonly string[]): string | undefined {
  const lower = name.toLowerCase();
  const exact = known.find((flag) => flag === lower);
  if (exact) return exact;
  const prefixed = known.filter((flag) => flag.startsWith(lower) && lower.length >= 3);
  if (prefixed.length === 1) return prefixed[0];
  let best: string | undefined;
  let bestDistance = lower.length < 5 ? 2 : 3;
  let tie = false;
  for (const flag of known) {
    const distance = editDistance(lower, flag);
    if (distance < bestDistance) {
      best = flag;
      bestDistance = distance;
      tie = false;
    } else if (distance === bestDistance) tie = true;
  }
  return tie ? undefined : best;
}

/** Levenshtein distance with adjacent swaps, capped at 3. */
function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3;
  let previous2: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(
        (previous[j] as number) + 1,
        (row[j - 1] as number) + 1,
        (previous[j - 1] as number) + cost,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        value = Math.min(value, (previous2[j - 2] as number) + 1);
      }
      row.push(value);
    }
    previous2 = previous;
    previous = row;
  }
  return previous[b.length] as number;
}
