import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** A secret whose appearance in any output or file means a leak. */
export const CANARY_SECRET = '_canary5eb1f0c2d9a84e7b93c1a6f0d2e4b8c7';
export const CANARY_KEY_ID = 'CANARY_RELIABILITY_0123456789ABCDEF0123456789ABCDEF01';
export const CANARY_KEY = { keyId: CANARY_KEY_ID, secret: CANARY_SECRET };

/** Every piece of text a consumer produced (outputs, messages, bodies), for the canary search. */
export const transcript: string[] = [];

/** Files below `dir` (skipping node_modules and .git) that contain `needle`. */
export async function filesContaining(dir: string, needle: string): Promise<string[]> {
  const hits: string[] = [];
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    if (/(^|\/)(node_modules|\.git)\//.test(path)) continue;
    const text = await readFile(path, 'latin1');
    if (text.includes(needle)) hits.push(path);
  }
  return hits;
}
