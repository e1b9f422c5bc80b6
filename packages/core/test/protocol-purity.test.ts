import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const dir = new URL('../src/protocol/', import.meta.url);
const sources = readdirSync(dir).filter(
  (file) => file.endsWith('.ts') && !file.endsWith('.test.ts'),
);

describe('the protocol module', () => {
  it.each(sources)('%s imports only other protocol files', (file) => {
    const text = readFileSync(new URL(file, dir), 'utf8');
    const imports = [...text.matchAll(/from\s+'([^']+)'/g)].map((match) => match[1]);
    for (const specifier of imports) expect(specifier, file).toMatch(/^\.\/[a-z-]+\.js$/);
  });

  it.each(sources)('%s uses no Node, DOM or I/O globals', (file) => {
    const text = readFileSync(new URL(file, dir), 'utf8').replace(/\/\/.*$|\/\*[\s\S]*?\*\//gm, '');
    expect(text).not.toMatch(
      /\b(process|Buffer|require|fetch|setTimeout|setInterval|TextDecoder|TextEncoder|Headers|Request|Response|AbortController)\b|new URL\(|\bURL\.(canParse|parse)\b/,
    );
  });
});
