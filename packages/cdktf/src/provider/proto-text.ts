import { readFileSync } from 'node:fs';

/**
 * The text of a .proto file of `proto/`, next to this module (the build copies it into
 * `dist/provider/proto/`). The bundled provider is one file: scripts/bundle-provider.mjs replaces
 * this module with one that has the texts inlined.
 */
export function protoText(name: string): string {
  return readFileSync(new URL(`./proto/${name}`, import.meta.url), 'utf8');
}
