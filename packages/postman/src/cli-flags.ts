import { closestFlag } from '@lacework-auth/core/internal';

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
