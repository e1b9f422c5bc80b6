import { describe, expect, it } from 'vitest';
import { TokenMask } from '../../src/proxy/mask.js';

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
const utf16le = (text: string) => Buffer.from(text, 'utf16le').toString('latin1');
const utf16be = (text: string) => Buffer.from(text, 'utf16le').swap16().toString('latin1');

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
    // Escaped twice or more: JSON inside a JSON string, a URL encoded twice.
    ['JSON \\u escapes, escaped again', jsonEscapedAll.replaceAll('\\', '\\\\')],
    ['JSON \\u escapes, escaped three times', jsonEscapedAll.replaceAll('\\', '\\\\\\\\')],
    ['JSON-escaped slash, escaped again', TOKEN.replace('/', '\\\\\\/')],
    ['percent-encoded twice', encodeURIComponent(encodeURIComponent(TOKEN))],
    ['percent escapes for every character, encoded twice', encodeURIComponent(percentAll)],
    [
      'percent escapes for every character, encoded three times',
      encodeURIComponent(encodeURIComponent(percentAll)),
    ],
    // HTML numeric character references.
    ['as HTML decimal references', [...TOKEN].map((c) => `&#${c.charCodeAt(0)};`).join('')],
    [
      'as HTML hex references with leading zeros',
      [...TOKEN].map((c) => `&#X${c.charCodeAt(0).toString(16).padStart(4, '0')};`).join(''),
    ],
    [
      'HTML references mixed with plain characters',
      TOKEN.replace('_T', '&#95;T').replace('k3', '&#x6b;3'),
    ],
    // UTF-16 (a NUL beside every ASCII character), alone or with escapes.
    ['in UTF-16LE', utf16le(TOKEN)],
    ['in UTF-16BE', utf16be(TOKEN)],
    ['upper-cased in UTF-16LE', utf16le(TOKEN.toUpperCase())],
    ['JSON-escaped in UTF-16BE', utf16be(jsonEscapedAll)],
    ['percent-encoded in UTF-16LE', utf16le(encodeURIComponent(TOKEN))],
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

  it('masks the most spread-out spelling of every character, split across two buffers', () => {
    // Each character as the longest escape known (10 characters), in UTF-16: the hold-back of a
    // stream (`maxSpan - 1` bytes) must cover it, so that the token is masked wherever it is cut.
    const spread = utf16le(
      [...TOKEN].map((c) => `&#x${c.charCodeAt(0).toString(16).padStart(6, '0')};`).join(''),
    );
    expect(spread.length).toBe(mask.maxSpan);
    expect(masked(spread)).toBe('*\0'.repeat(spread.length / 2));
  });

  it('masks every piece of 16 or more characters of a token cut into pieces, in any case', () => {
    const half = TOKEN.length >> 1;
    const pieces = [TOKEN.slice(0, half), TOKEN.slice(half).toUpperCase(), TOKEN.slice(3, 19)];
    const out = masked(`{"a":"${pieces[0]}","b":"${pieces[1]}","c":"x${pieces[2]}y"}`);
    expect(out).toBe(
      `{"a":"${'*'.repeat(half)}","b":"${'*'.repeat(TOKEN.length - half)}","c":"x${'*'.repeat(16)}y"}`,
    );
  });

  it('leaves other text alone, pieces of the token shorter than 16 characters included', () => {
    const pieces = TOKEN.match(/.{1,15}/g) ?? [];
    const text = `{"a":"${pieces.join('","')}","b":"\\u0041 %41 &#65; ${TOKEN.slice(1, 16)}"}`;
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
    expect(mask.leaksInto(encodeURIComponent(encodeURIComponent(TOKEN.slice(10, 30))))).toBe(true);
    expect(
      mask.leaksInto([...TOKEN.slice(0, 20)].map((c) => `&#${c.charCodeAt(0)};`).join('')),
    ).toBe(true);
    expect(mask.leaksInto(JSON.stringify(JSON.stringify(TOKEN.replace('/', '\\/'))))).toBe(true);
    expect(mask.leaksInto(TOKEN.slice(0, 15))).toBe(false);
    expect(mask.leaksInto('application/json; charset=utf-8')).toBe(false);
  });
});
