import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../src/', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

/** Every relative import of every source file, type-only imports included. */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sources(SRC)) {
    const text = readFileSync(file, 'utf8');
    const targets = [...text.matchAll(/from\s+'(\.[^']+)'/g)].map((match) =>
      normalize(join(dirname(file), (match[1] as string).replace(/\.js$/, '.ts'))),
    );
    graph.set(file, targets);
  }
  return graph;
}

describe('the structure of core', () => {
  it('has no import cycle, type-only imports included', () => {
    const graph = importGraph();
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const visit = (file: string, path: string[]) => {
      state.set(file, 'open');
      for (const next of graph.get(file) ?? []) {
        if (state.get(next) === 'open') {
          cycles.push(
            [...path.slice(path.indexOf(next)), next].map((f) => relative(SRC, f)).join(' → '),
          );
        } else if (!state.has(next) && graph.has(next)) {
          visit(next, [...path, next]);
        }
      }
      state.set(file, 'done');
    };
    for (const file of graph.keys()) if (!state.has(file)) visit(file, [file]);
    expect(cycles).toEqual([]);
  });

  it('keeps the credential types in their own module, imported by the modules that use them', () => {
    const graph = importGraph();
    const types = join(SRC, 'credentials', 'types.ts');
    for (const name of ['sources.ts', 'key-file.ts', 'resolve.ts']) {
      expect(graph.get(join(SRC, 'credentials', name)), name).toContain(types);
    }
  });

  it('folders depend downwards only: protocol on nothing, toolkit not on client or provider internals', () => {
    const graph = importGraph();
    for (const [file, targets] of graph) {
      const from = relative(SRC, file).split('/')[0];
      for (const target of targets) {
        const to = relative(SRC, target).split('/')[0];
        if (from === 'protocol')
          expect(to, `${relative(SRC, file)} → ${relative(SRC, target)}`).toBe('protocol');
      }
    }
  });
});
