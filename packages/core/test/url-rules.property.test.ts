import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readHttpUrl } from '../src/protocol/url.js';

const PIECES = fc.constantFrom(
  ...'aZ09-._:/\\@%#?[]! '.split(''),
  'https://',
  'http://',
  'acme.lacework.net',
  '127.0.0.1',
  '127.1',
  '0x7f',
  '0177',
  '256',
  '::1',
  '[::1]',
  '[0:0::1]',
  '[::ffff:127.0.0.1]',
  '[1:2:3:4:5:6:7:8]',
  '[1::2:3:4:5:6:7]',
  'localhost',
  ':443',
  ':80',
  ':0080',
  ':65536',
  '%2e',
  '%41',
  'xn--',
);
const input = fc.oneof(
  fc.string({ unit: PIECES, maxLength: 10 }).map((rest) => `https://${rest}`),
  fc.string({ unit: PIECES, maxLength: 10 }).map((rest) => `http://${rest}`),
  fc.webUrl({ withFragments: true, withQueryParameters: true }),
);

describe('readHttpUrl (the protocol module reads URLs without the URL class)', () => {
  it('agrees with WHATWG URL on the origin of every URL it accepts', () => {
    fc.assert(
      fc.property(input, (text) => {
        const read = readHttpUrl(text);
        if (read === undefined) return;
        const url = new URL(text);
        expect(read.origin, text).toBe(url.origin.replace(/\.(?=(:\d+)?$)/, ''));
      }),
      { numRuns: 5000 },
    );
  });

  it('accepts a URL whose host WHATWG keeps as written, when it has no user info or backslash', () => {
    fc.assert(
      fc.property(fc.webUrl(), (text) => {
        const url = new URL(text);
        const plain = !text.includes('@') && !text.includes('\\') && /^[\x21-\x7e]+$/.test(text);
        const hostAsWritten = text.toLowerCase().includes(`//${url.host}`);
        if (plain && hostAsWritten) expect(readHttpUrl(text)?.origin, text).toBe(url.origin);
      }),
      { numRuns: 2000 },
    );
  });

  it.each([
    ['https://acme.lacework.net:443/api/v2/x?y#z', 'https://acme.lacework.net', '/api/v2/x'],
    ['HTTP://LOCALHOST:8080', 'http://localhost:8080', '/'],
    ['http://[::1]:80/', 'http://[::1]', '/'],
    ['https://acme.lacework.net.:8443', 'https://acme.lacework.net:8443', '/'],
  ])('%s → %s %s', (text, origin, path) => {
    expect(readHttpUrl(text)).toMatchObject({ origin, path });
  });

  it.each([
    'https://user@acme.lacework.net',
    'https://acme.lacework.net\\@evil.example',
    'https://127.1',
    'https://0x7f000001',
    'https://[0:0::1]',
    'https://acme%2elacework.net',
    'https://acme.lacework.net:65536',
    'ftp://acme.lacework.net',
    '/api/v2/x',
    'https://ａcme.lacework.net',
    'https://acme.lacework.net;x/api/v2',
  ])('refuses %j (user info, or a host a parser rewrites or refuses)', (text) => {
    expect(readHttpUrl(text)).toBeUndefined();
  });
});
