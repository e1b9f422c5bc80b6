import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

// biome-ignore lint/suspicious/noExplicitAny: synthesized Terraform JSON is untyped
export type Json = any;

/**
 * Applies `fn` to every string in the JSON outside `lifecycle` blocks (the construct's own
 * checks stay intact); returns how many strings changed.
 */
export function rewriteStrings(node: Json, fn: (text: string) => string): number {
  let changed = 0;
  for (const [key, value] of Object.entries(node)) {
    if (key === 'lifecycle') continue;
    if (typeof value === 'string') {
      const next = fn(value);
      if (next !== value) {
        node[key] = next;
        changed++;
      }
    } else if (value && typeof value === 'object') {
      changed += rewriteStrings(value, fn);
    }
  }
  return changed;
}

/**
 * Edits a stack's `cdk.tf.json` in place (`edit` changes the parsed JSON and returns how many
 * places it changed); returns that count, so a test can insist the edit did something.
 */
export function editStackJson(dir: string, edit: (config: Json) => number): number {
  const file = join(dir, 'cdk.tf.json');
  const config = JSON.parse(readFileSync(file, 'utf8'));
  const changed = edit(config);
  writeFileSync(file, JSON.stringify(config, null, 2));
  return changed;
}
