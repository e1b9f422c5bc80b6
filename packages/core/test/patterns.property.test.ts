import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readBaseUrl } from '../src/protocol/base-url.js';
import { PATTERNS } from '../src/protocol/patterns.js';
import { URL_PIECES } from './support/url-pieces.js';

// What Terraform does with the patterns (packages/cdktf/src/base-url.ts), in JavaScript: a value
// passes when it matches the setting's pattern and none of the refusals.
function passes(value: string, setting: 'account' | 'baseUrl'): boolean {
  const v = value.trim().toLowerCase();
  return (
    new RegExp(PATTERNS[setting]).test(v) &&
    !new RegExp(PATTERNS.tooManyLaceworkLabels).test(v) &&
    !new RegExp(PATTERNS.idnLabel).test(v) &&
    !new RegExp(PATTERNS.hexNumberLabel).test(v) &&
    !new RegExp(PATTERNS.bareLoopback).test(v) &&
    !new RegExp(PATTERNS.keyMaterial).test(v)
  );
}

const MORE_PIECES = ['proxy.example', '[::1]', '0x7f', '8', ':8443', '0123456789abcdef'.repeat(2)];
const PIECES = fc.constantFrom(...URL_PIECES, ...MORE_PIECES);
const value = fc.oneof(
  fc.string({ unit: PIECES, maxLength: 8 }),
  fc.webUrl(),
  fc.domain(),
  fc.domain().map((d) => `https://${d}.lacework.net`),
);

describe('the Terraform patterns of the base-URL rules', () => {
  it('accept only values readBaseUrl accepts too (a subset of its rules)', () => {
    fc.assert(
      fc.property(value, fc.constantFrom('account' as const, 'baseUrl' as const), (v, setting) => {
        if (!passes(v, setting)) return;
        const reading = readBaseUrl(v, { allowAnyHost: setting === 'baseUrl' });
        expect(reading.ok, `${setting} ${JSON.stringify(v)}`).toBe(true);
      }),
      { numRuns: 5000 },
    );
  });

  it('accept the everyday spellings', () => {
    for (const v of ['acme', 'acme.lacework.net', 'https://acme.fra.lacework.net/x', 'ACME ']) {
      expect(passes(v, 'account'), v).toBe(true);
    }
    for (const v of ['https://proxy.example:8443/x', 'http://127.0.0.1:8080', 'http://localhost']) {
      expect(passes(v, 'baseUrl'), v).toBe(true);
    }
  });
});
