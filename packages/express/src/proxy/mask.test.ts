import { describe, expect, it } from 'vitest';
import { TokenMask } from './mask.js';

// Shaped like a Lacework token: long, mixed case, with characters JSON and URLs escape.
const TOKEN = '_Tok3n/With+Slash=AndMixedCase_0123456789abcdefXYZ';
const mask = new TokenMask(TOKEN);
const masked = (text: string) => {
  const buf = Buffer.from(text, 'latin1');
  mask.maskInPlace(buf);
  return buf.toString('latin1');
};
const jsonEscapedAll = [...TOKEN]
  .map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
  .join('');
const percentAll = [...TOKEN].map((c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`).join('');

describe('TokenMask.maskInPlace', () => {
  it.each([
    ['as is', TOKEN],
    ['upper-cased', TOKEN.toUpperCase()],
    ['lower-cased', TOKEN.toLowerCase()],
    ['JSON-escaped slash', TOKEN.replace('/', '\\/')],
    ['JSON \\u escapes for every character', jsonEscapedAll],
    ['JSON \\u escapes in upper-case hex', jsonEscapedAll.toUpperCase().replaceAll('\\U', '\\u')],
    [
      'mixed JSON escapes and plain characters',
      TOKEN.replace('_T', '\\u005fT').replace('k3', '\\u006B3'),
    ],
    ['percent-encoded', percentAll],
    ['percent-encoded like encodeURIComponent', encodeURIComponent(TOKEN)],
    ['base64', Buffer.from(TOKEN).toString('base64')],
    ['base64url', Buffer.from(TOKEN).toString('base64url')],
    ['base64 of the upper-cased token', Buffer.from(TOKEN.toUpperCase()).toString('base64')],
  ])('masks the token %s', (_, form) => {
    for (const [before, after] of [
      ['', ''],
      ['{"t":"', '"}'],
      ['x', 'yz'],
    ] as const) {
      const out = masked(`${before}${form}${after}`);
      expect(out.length).toBe(before.length + form.length + after.length);
      expect(out).not.toContain(form);
      expect(out.startsWith(before) && out.endsWith(after)).toBe(true);
    }
  });

  it('masks base64 of the token inside a longer base64 text, at every alignment', () => {
    for (const prefix of ['', 'a', 'ab', 'abc', 'Bearer ']) {
      const encoded = Buffer.from(`${prefix}${TOKEN}:rest`).toString('base64');
      const out = masked(encoded);
      expect(out).toMatch(/\*{40,}/);
      expect(Buffer.from(out.replaceAll('*', 'A'), 'base64').toString('latin1')).not.toContain(
        TOKEN,
      );
    }
  });

  it('leaves other text alone', () => {
    const text = `{"a":"${TOKEN.slice(0, -1)}","b":"\\u0041 %41 ${TOKEN.slice(1)}"}`;
    expect(masked(text)).toBe(text);
  });
});

describe('TokenMask.leaksInto', () => {
  it('recognises the whole token in any form, and any 16-character run of it', () => {
    expect(mask.leaksInto(`Bearer ${TOKEN.toUpperCase()}`)).toBe(true);
    expect(mask.leaksInto(TOKEN.slice(0, 16))).toBe(true);
    expect(mask.leaksInto(`x${TOKEN.slice(20, 36).toLowerCase()}y`)).toBe(true);
    expect(mask.leaksInto(encodeURIComponent(TOKEN.slice(10, 30)))).toBe(true);
    expect(mask.leaksInto(Buffer.from(TOKEN.slice(0, 30)).toString('base64'))).toBe(true);
    expect(mask.leaksInto(TOKEN.slice(0, 15))).toBe(false);
    expect(mask.leaksInto('application/json; charset=utf-8')).toBe(false);
  });
});
