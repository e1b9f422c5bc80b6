import type { IncomingMessage, ServerResponse } from 'node:http';
import { selectResponseHeaders } from './headers.js';

const MASK = 0x2a; // '*'

/** Overwrites every occurrence of `needle` in `buf` with `*` (same length, so framing holds). */
function mask(buf: Buffer, needle: Buffer): void {
  let at = buf.indexOf(needle);
  while (at !== -1) {
    buf.fill(MASK, at, at + needle.length);
    at = buf.indexOf(needle, at + needle.length);
  }
}

/**
 * Sends an upstream response to the client: status, filtered headers (see
 * `selectResponseHeaders`; `Cache-Control: no-store` added when Lacework sent none), then the body as it arrives, with backpressure. When the body is not
 * content-encoded, any occurrence of `token` is masked with `*` on the way through: Lacework does
 * not echo the bearer token, but the proxy's guarantee should not depend on that. The last
 * `token.length - 1` bytes of each chunk are held back until the next one, so a token split
 * across chunks is caught too.
 */
export function relay(response: IncomingMessage, res: ServerResponse, token: string): void {
  const headers = selectResponseHeaders(response.rawHeaders, token);
  // The answer was fetched with the server's key: a shared cache (CDN, corporate proxy) must not
  // hand it to whoever asks next, past the app's own access checks.
  if (response.headers['cache-control'] === undefined) headers.push('Cache-Control', 'no-store');
  res.writeHead(response.statusCode ?? 502, headers);
  const encoding = response.headers['content-encoding'];
  const scan = token.length > 0 && (encoding === undefined || encoding === 'identity');
  const needle = scan ? Buffer.from(token) : undefined;
  const keep = needle ? needle.length - 1 : 0;
  let carry: Buffer | undefined;
  // With a Content-Length, the chunk that completes the body needs no hold-back: it goes out
  // with `end()`, in one write with the headers when the body fits in a single chunk.
  const lengthHeader = response.headers['content-length'];
  let remaining = lengthHeader === undefined ? -1 : Number(lengthHeader);
  let ended = false;

  const resume = () => response.resume();
  response.on('data', (chunk: Buffer) => {
    if (ended) return;
    let out = chunk;
    if (remaining >= 0) remaining -= chunk.length;
    const last = remaining === 0;
    if (needle) {
      const buf = carry ? Buffer.concat([carry, chunk]) : chunk;
      mask(buf, needle);
      if (last) {
        carry = undefined;
        out = buf;
      } else if (buf.length <= keep) {
        carry = buf;
        return;
      } else {
        carry = keep > 0 ? buf.subarray(buf.length - keep) : undefined;
        out = keep > 0 ? buf.subarray(0, buf.length - keep) : buf;
      }
    }
    if (last) {
      ended = true;
      res.end(out);
      return;
    }
    if (!res.write(out)) {
      response.pause();
      res.once('drain', resume);
    }
  });
  response.once('end', () => {
    if (ended) return;
    ended = true;
    if (carry) res.end(carry);
    else res.end();
  });
  // The upstream broke mid-body: the status line is out, so cutting the connection is the only
  // way left to tell the client its copy is incomplete.
  response.once('aborted', () => res.destroy());
  response.once('error', () => res.destroy());
  res.once('close', () => {
    if (!response.complete) response.destroy();
  });
}
