import { readFileSync } from 'node:fs';

/** A third-party collection with its own scripts, auth override and variables (fresh copy). */
export function teamCollection(version: '2.0' | '2.1' = '2.1'): Record<string, unknown> {
  const url = new URL(`./fixtures/team-collection.v${version}.json`, import.meta.url);
  return JSON.parse(readFileSync(url, 'utf8')) as Record<string, unknown>;
}
