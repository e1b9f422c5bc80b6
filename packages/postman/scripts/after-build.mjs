// Runs after tsc. tsc only emits TypeScript: the sandbox script must reach dist byte for byte (it
// is read at run time by generatePreRequestScript), and the CLI must be executable.
import { chmodSync, copyFileSync, mkdirSync, readdirSync } from 'node:fs';

const from = new URL('../src/sandbox/', import.meta.url);
const to = new URL('../dist/sandbox/', import.meta.url);
mkdirSync(to, { recursive: true });
for (const file of readdirSync(from)) {
  if (file.endsWith('.js')) copyFileSync(new URL(file, from), new URL(file, to));
}
chmodSync(new URL('../dist/cli.js', import.meta.url), 0o755);
