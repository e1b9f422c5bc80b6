import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs build script, without types
import { buildSandbox } from '../scripts/build-sandbox.mjs';

const SHIPPED = readFileSync(new URL('./sandbox/lacework-auth.js', import.meta.url), 'utf8');

describe('the sandbox script', () => {
  it('is the bundle of sandbox/lacework-auth.ts and core’s protocol module, as they are now', async () => {
    // Fails when the glue or a protocol rule changed without `pnpm build`: the shipped script
    // would follow yesterday's rules.
    expect(SHIPPED).toBe(await buildSandbox());
  });

  it('is ES2017 for Postman’s sandbox: no syntax newer than that, nothing imported', async () => {
    const { transform } = await import('esbuild');
    // Lowering to ES2017 changes nothing only when no newer syntax is left in the script.
    const as2017 = await transform(SHIPPED, { target: 'es2017', format: 'iife' });
    const asIs = await transform(SHIPPED, { target: 'esnext', format: 'iife' });
    expect(as2017.code).toBe(asIs.code);
    expect(SHIPPED).not.toMatch(/\bimport\b|\brequire\(|\bawait\b|\bPromise\b/);
  });

  it('carries core’s rules, not a copy of them: the protocol module’s own functions are in it', () => {
    for (const rule of [
      'function readBaseUrl(',
      'function classifyTokenAnswer(',
      'function tokenRequest(',
      'function refreshWindowMs(',
      'function refreshAt(',
      'function readHttpUrl(',
      'function serverMessage(',
    ]) {
      expect(SHIPPED).toContain(rule);
    }
  });
});
