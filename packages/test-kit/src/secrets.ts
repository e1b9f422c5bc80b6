import { inspect } from 'node:util';

/** A secret whose appearance anywhere in output means a leak (Lacework's shape: `_` + hex). */
export const CANARY_SECRET = '_canaryscrt_5eb1f0c2d9a84e7b93c1a6f0d2e4b8c7';
/** The key ID that goes with {@link CANARY_SECRET}. */
export const CANARY_KEY_ID = 'CANARY_TEST_0123456789ABCDEF0123456789ABCDEF0123';

/** Length of the shortest piece of a secret that counts as a leak (core redacts from 8 on). */
const PIECE = 8;

/** Every way an error can reach a log: message, stack, inspect, JSON, String, cause chain. */
export function renderings(error: unknown): string {
  const parts: string[] = [inspect(error, { depth: 10, showHidden: true })];
  let current: unknown = error;
  for (let depth = 0; depth < 6 && current; depth++) {
    if (current instanceof Error) {
      parts.push(String(current), current.message, current.stack ?? '');
      try {
        parts.push(JSON.stringify(current));
      } catch {
        parts.push('[unserializable]');
      }
      parts.push(inspect({ ...current }, { depth: 10, showHidden: true }));
      current = current.cause;
    } else {
      parts.push(typeof current === 'string' ? current : inspect(current, { depth: 10 }));
      current = undefined;
    }
  }
  return parts.join('\n');
}

/**
 * The pieces (8+ characters, any case) of `secrets` found in any rendering of `value` (an error,
 * a string, an object): empty when nothing leaked. A secret cut, upper-cased or half-quoted is
 * found too.
 */
export function leakedPieces(value: unknown, secrets: readonly string[]): string[] {
  const text = (typeof value === 'string' ? value : renderings(value)).toLowerCase();
  const found = new Set<string>();
  for (const secret of secrets) {
    const lower = secret.toLowerCase();
    for (let i = 0; i + PIECE <= lower.length; i++) {
      const piece = lower.slice(i, i + PIECE);
      if (text.includes(piece)) found.add(piece);
    }
  }
  return [...found];
}
