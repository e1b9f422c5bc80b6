/**
 * The message for an unknown flag of a CLI: the flag when it looks like one (anything else may
 * be a pasted secret and is only described), and the known flag it was probably meant as: the
 * same flag in another case, a unique one it starts, or the unique one within two edits.
 */
export function unknownFlagMessage(flag: string, known: readonly string[]): string {
  const name = flag.replace(/^--?/, '').split('=')[0] ?? '';
  if (!/^[a-z][a-z0-9-]{0,30}$/i.test(name)) {
    return `unknown option (${flag.length} characters, not shown).`;
  }
  const close = closest(name.toLowerCase(), known);
  return `unknown option '--${name}'.${close ? ` Did you mean --${close}?` : ''}`;
}

function closest(name: string, known: readonly string[]): string | undefined {
  if (known.includes(name)) return name;
  const started = known.filter((flag) => name.length >= 3 && flag.startsWith(name));
  if (started.length === 1) return started[0];
  const near = known.filter((flag) => distance(name, flag) <= (name.length < 5 ? 1 : 2));
  return near.length === 1 ? near[0] : undefined;
}

/** Edit distance (insert, delete, substitute), enough to spot a typo. */
function distance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      next.push(
        Math.min(
          (row[j] as number) + 1,
          (next[j - 1] as number) + 1,
          (row[j - 1] as number) + cost,
        ),
      );
    }
    row = next;
  }
  return row[b.length] as number;
}
