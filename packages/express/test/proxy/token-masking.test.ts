import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import express from 'express';
import { afterAll, describe, expect, it } from 'vitest';
import { laceworkProxy } from '../../src/proxy/proxy.js';
import { rawExchange, sharedRawUpstream } from '../support/raw-http.js';
import { serveApp } from '../support/servers.js';
import { headerValue, type Message, parseResponses } from '../support/strict-http.js';

// The token as Lacework could never reflect it, but a hostile or buggy upstream might: every
// response below carries it in some form, and none of those forms may reach the client.
const TOKEN = '_Tok3n/With+Slash=AndMixedCase_0123456789abcdefXYZ';
const upstream = await sharedRawUpstream(undefined, TOKEN);
const { port } = await serveApp(
  express().use('/lw', laceworkProxy({ tokenProvider: upstream.provider, allow: ['**'] })),
  afterAll,
);

const response = (headers: string[], body: Buffer | string = '') => {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'latin1') : body;
  return Buffer.concat([
    Buffer.from(
      `HTTP/1.1 200 OK\r\n${[...headers, `Content-Length: ${bytes.length}`].join('\r\n')}\r\n\r\n`,
      'latin1',
    ),
    bytes,
  ]);
};

/** Sends one GET through the proxy while the upstream answers `answer`; returns the client's view. */
async function through(answer: Buffer): Promise<{ message: Message; raw: string }> {
  upstream.respondWith(() => answer);
  const { bytes } = await rawExchange(
    port,
    'GET /lw/Echo/x HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip, br\r\nConnection: close\r\n\r\n',
  );
  const parsed = parseResponses(bytes, ['GET']);
  expect(parsed.error).toBeUndefined();
  expect(parsed.messages).toHaveLength(1);
  return { message: parsed.messages[0] as Message, raw: bytes.toString('latin1') };
}

const lower = TOKEN.toLowerCase();
const forms: Record<string, string> = {
  'upper-cased': TOKEN.toUpperCase(),
  'JSON \\u-escaped': [...TOKEN]
    .map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .join(''),
  'JSON with \\/': TOKEN.replace('/', '\\/'),
  'percent-encoded': encodeURIComponent(TOKEN),
  base64: Buffer.from(`Bearer ${TOKEN}`).toString('base64'),
  base64url: Buffer.from(TOKEN).toString('base64url'),
  'JSON-escaped twice (JSON in a JSON string)': [...TOKEN]
    .map((c) => `\\\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .join(''),
  'percent-encoded twice': encodeURIComponent(encodeURIComponent(TOKEN)),
  'HTML numeric references': [...TOKEN].map((c) => `&#${c.charCodeAt(0)};`).join(''),
  'in UTF-16LE': Buffer.from(TOKEN, 'utf16le').toString('latin1'),
  'in UTF-16BE': Buffer.from(TOKEN, 'utf16le').swap16().toString('latin1'),
};

function expectClean(raw: string) {
  expect(raw).not.toContain(TOKEN);
  expect(raw.toLowerCase()).not.toContain(lower);
  for (const form of Object.values(forms)) expect(raw).not.toContain(form);
}

describe('the token is masked in response bodies', () => {
  it('asks the upstream for identity-encoded bodies, whatever the client accepts', async () => {
    await through(response([], 'ok'));
    expect(headerValue(upstream.requests[0] as Message, 'accept-encoding')).toBe('identity');
  });

  for (const [name, form] of Object.entries(forms)) {
    it(`${name}, keeping the length`, async () => {
      const body = `{"token":"${form}","n":1}`;
      const { message, raw } = await through(response(['Content-Type: application/json'], body));
      expectClean(raw);
      expect(message.body.length).toBe(body.length);
      // Base64 forms keep the few characters that also depend on the bytes around the token;
      // UTF-16 forms keep their NULs.
      expect(message.body.toString().replaceAll('\0', '')).toMatch(
        /^\{"token":"[^"]{0,12}\*{40,}[^"]{0,4}","n":1\}$/,
      );
    });
  }

  it.each(['IDENTITY', 'Identity', ' identity', 'identity, identity'])(
    'with Content-Encoding: %s',
    async (coding) => {
      const { raw } = await through(response([`Content-Encoding:${coding}`], `t=${TOKEN}`));
      expectClean(raw);
    },
  );

  it.each([
    ['gzip', gzipSync],
    ['GZIP', gzipSync],
    ['x-gzip', gzipSync],
    ['deflate', deflateSync],
    ['br', brotliCompressSync],
  ] as const)(
    'in a %s body sent although identity was asked for: decoded, then masked',
    async (coding, compress) => {
      const body = `{"token":"${TOKEN}","again":"${TOKEN.toUpperCase()}"}`;
      const { message, raw } = await through(
        response([`Content-Encoding: ${coding}`, 'Content-Type: application/json'], compress(body)),
      );
      expectClean(raw);
      expect(headerValue(message, 'content-encoding')).toBeUndefined();
      expect(JSON.parse(message.body.toString())).toEqual({
        token: '*'.repeat(TOKEN.length),
        again: '*'.repeat(TOKEN.length),
      });
    },
  );

  it('refuses (502) a body in a coding it cannot decode rather than pass it on unmasked', async () => {
    for (const coding of ['zstd', 'compress', 'gzip, x-custom']) {
      const { message, raw } = await through(response([`Content-Encoding: ${coding}`], TOKEN));
      expect(message.status).toBe(502);
      expectClean(raw);
    }
  });
});

describe('the token is masked when a body carries it in pieces', () => {
  it('every plain piece of 16 or more characters, in any case', async () => {
    const third = Math.ceil(TOKEN.length / 3);
    const pieces = [0, 1, 2].map((i) => TOKEN.slice(i * third, (i + 1) * third));
    const body = `{"a":"${pieces[0]}","b":{"c":"${pieces[1]?.toUpperCase()}"},"d":"${pieces[2]}"}`;
    const { message } = await through(response(['Content-Type: application/json'], body));
    const text = message.body.toString();
    for (const piece of pieces) expect(text.toLowerCase()).not.toContain(piece.toLowerCase());
    expect(JSON.parse(text)).toEqual({
      a: '*'.repeat(third),
      b: { c: '*'.repeat(third) },
      d: '*'.repeat(TOKEN.length - 2 * third),
    });
  });
});

describe('the token is masked in UTF-16 bodies', () => {
  // A browser decodes a body that starts with a UTF-16 byte order mark as UTF-16, whatever its
  // Content-Type says (XMLHttpRequest, navigation): the token is then one NUL apart per character.
  it.each([
    ['utf-16le', (text: string) => Buffer.from(text, 'utf16le')],
    ['utf-16be', (text: string) => Buffer.from(text, 'utf16le').swap16()],
  ] as const)('%s, as the browser decodes it', async (charset, encode) => {
    const body = encode(`\ufeff{"token":"${TOKEN}","escaped":"${TOKEN.replace('/', '\\/')}"}`);
    const { message } = await through(
      response([`Content-Type: application/json; charset=${charset}`], body),
    );
    expect(message.body.length).toBe(body.length);
    const decoded = new TextDecoder(charset).decode(message.body);
    expect(decoded.toLowerCase()).not.toContain(lower);
    expect(decoded.replaceAll('\0', '')).toMatch(/^\{"token":"\*{50,}","escaped":"\*{50,}"\}$/);
  });
});

describe('the token is kept out of response headers', () => {
  it('drops headers carrying it in any case or encoding, under any name casing', async () => {
    const { message, raw } = await through(
      response(
        [
          `X-ECHO: Bearer ${TOKEN.toUpperCase()}`,
          `x-escaped: ${forms['JSON \\u-escaped']}`,
          `Location: https://evil.example/?t=${forms['percent-encoded']}`,
          `X-B64: ${forms.base64}`,
          `X-Html: ${forms['HTML numeric references']}`,
          `Refresh: 0; url=https://evil.example/?t=${forms['percent-encoded twice']}`,
          'X-Kept: fine',
        ],
        'ok',
      ),
    );
    expectClean(raw);
    expect(headerValue(message, 'x-kept')).toBe('fine');
    for (const name of ['x-echo', 'x-escaped', 'location', 'x-b64', 'x-html', 'refresh']) {
      expect(headerValue(message, name), name).toBeUndefined();
    }
  });

  it('drops both halves of a token split across two headers', async () => {
    const half = TOKEN.length >> 1;
    const { message, raw } = await through(
      response([`X-Part-1: ${TOKEN.slice(0, half)}`, `X-Part-2: ${TOKEN.slice(half)}`], 'ok'),
    );
    expect(message.status).toBe(200);
    expect(raw).not.toContain(TOKEN.slice(0, half));
    expect(raw).not.toContain(TOKEN.slice(half));
  });

  it('refuses (502) an answer whose headers carry the token in pieces too short to notice alone', async () => {
    const pieces = TOKEN.match(/.{1,8}/g) ?? [];
    const { message, raw } = await through(
      response(
        pieces.map((piece, i) => `X-Piece-${i}: ${piece}`),
        'ok',
      ),
    );
    expect(message.status).toBe(502);
    expect(raw).not.toContain(pieces.slice(0, 3).join(''));
  });
});
