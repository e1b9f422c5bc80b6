import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Readable, Transform } from 'node:stream';
import zlib from 'node:zlib';
import { UpstreamFailure } from './forward.js';
import { RELAYED_RESPONSE_HEADERS, selectResponseHeaders, sharedCacheSafe } from './headers.js';
import { tokenMask } from './mask.js';
import { type RedirectScope, relayedLocation } from './redirect.js';

const DECODERS: Record<string, () => Transform> = {
  gzip: () => zlib.createGunzip(),
  'x-gzip': () => zlib.createGunzip(),
  deflate: () => zlib.createInflate(),
  br: () => zlib.createBrotliDecompress(),
};

/** The content codings of a response, outermost last, without `identity`; any case. */
function contentCodings(value: string | undefined): string[] {
  if (value === undefined) return [];
  return value
    .split(',')
    .map((coding) => coding.trim().toLowerCase())
    .filter((coding) => coding !== '' && coding !== 'identity');
}

const unsafe = (message: string) => new UpstreamFailure('network', message);

/**
 * Sends an upstream response to the client: status, filtered headers (see
 * `selectResponseHeaders`) plus the proxy's own (`Cache-Control` from `sharedCacheSafe`, and
 * `RELAYED_RESPONSE_HEADERS`), then the
 * body as it arrives, with backpressure, and with the token masked (see `TokenMask`).
 *
 * The body always reaches the masking identity-encoded: the proxy asks for `identity`, and a body
 * that comes content-encoded anyway (`gzip`, `x-gzip`, `deflate`, `br`, in any case) is decoded
 * here and sent on without `Content-Encoding`/`Content-Length`. A coding it cannot decode, or a
 * transfer coding other than `chunked`, is refused (thrown, before anything is written) rather
 * than passed on unmasked. The framing towards the client is Node's own: `Content-Length` is
 * kept only when the body goes through unchanged in length, dropped for 204 answers.
 *
 * A `Location` is rewritten to the same route under the proxy's mount point; one that leads
 * anywhere else gets a redirect refused and is dropped from other answers (see
 * `relayedLocation`).
 *
 * The last `maxSpan - 1` bytes of each chunk are held back until the next one, so a token split
 * across chunks is caught too.
 *
 * @throws {UpstreamFailure} when the response cannot be relayed safely; nothing was written.
 */
export function relay(
  response: IncomingMessage,
  res: ServerResponse,
  token: string,
  method: string,
  redirect: RedirectScope,
): void {
  const transfer = response.headers['transfer-encoding'];
  if (transfer !== undefined && transfer.trim().toLowerCase() !== 'chunked') {
    throw unsafe('Lacework answered with a transfer coding the proxy does not relay.');
  }
  const status = response.statusCode ?? 502;
  const codings = contentCodings(response.headers['content-encoding']);
  const bodyless = method === 'HEAD' || status === 204 || status === 304;
  const decoders: Transform[] = [];
  for (const coding of codings.reverse()) {
    const create = DECODERS[coding];
    if (create === undefined) {
      throw unsafe('Lacework answered with a content coding the proxy cannot decode.');
    }
    if (!bodyless) decoders.push(create());
  }
  const mask = tokenMask(token);
  const headers = selectResponseHeaders(response.rawHeaders, mask, {
    dropEncoding: codings.length > 0,
    dropLength: codings.length > 0 || status === 204,
  });
  if (headers === undefined) {
    throw unsafe('Lacework answered with headers that carry the bearer token.');
  }
  for (let i = 0; i < headers.length; i += 2) {
    if ((headers[i] as string).toLowerCase() !== 'location') continue;
    const location = relayedLocation(headers[i + 1] as string, redirect);
    if (location !== undefined) {
      headers[i + 1] = location;
    } else if (status >= 300 && status < 400) {
      throw unsafe('Lacework redirected outside its API, which the proxy does not pass on.');
    } else {
      // Not followed by the browser (a 201's Location, say): only dropped.
      headers.splice(i, 2);
      i -= 2;
    }
  }
  // The answer was fetched with the server's key: a shared cache (CDN, corporate proxy) must not
  // hand it to whoever asks next, past the app's own access checks.
  headers.push('Cache-Control', sharedCacheSafe(response.headers['cache-control']));
  for (const [name, value] of Object.entries(RELAYED_RESPONSE_HEADERS)) headers.push(name, value);
  res.writeHead(status, headers);

  let source: Readable = response;
  for (const decoder of decoders) {
    source.pipe(decoder);
    source.once('error', () => decoder.destroy());
    source = decoder;
  }
  const keep = mask.maxSpan - 1;
  let carry: Buffer | undefined;
  // With a Content-Length and no decoding, the chunk that completes the body needs no
  // hold-back: it goes out with `end()`, in one write with the headers when it is the only one.
  const lengthHeader = response.headers['content-length'];
  let remaining = lengthHeader === undefined || decoders.length > 0 ? -1 : Number(lengthHeader);
  let ended = false;

  const resume = () => source.resume();
  source.on('data', (chunk: Buffer) => {
    if (ended) return;
    if (remaining >= 0) remaining -= chunk.length;
    const last = remaining === 0;
    const buf = carry ? Buffer.concat([carry, chunk]) : chunk;
    mask.maskInPlace(buf);
    let out = buf;
    if (last) {
      carry = undefined;
    } else if (buf.length <= keep) {
      carry = buf;
      return;
    } else {
      carry = keep > 0 ? buf.subarray(buf.length - keep) : undefined;
      out = keep > 0 ? buf.subarray(0, buf.length - keep) : buf;
    }
    if (last) {
      ended = true;
      res.end(out);
      return;
    }
    if (!res.write(out)) {
      source.pause();
      res.once('drain', resume);
    }
  });
  source.once('end', () => {
    if (ended) return;
    ended = true;
    if (carry) res.end(carry);
    else res.end();
  });
  // The upstream broke mid-body (or the body would not decode): the status line is out, so
  // cutting the connection is the only way left to tell the client its copy is incomplete.
  response.once('aborted', () => res.destroy());
  response.once('error', () => res.destroy());
  for (const decoder of decoders) decoder.once('error', () => res.destroy());
  res.once('close', () => {
    if (!response.complete) response.destroy();
    for (const decoder of decoders) decoder.destroy();
  });
}
