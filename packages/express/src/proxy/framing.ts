import type { IncomingMessage, OutgoingHttpHeaders } from 'node:http';

/**
 * Methods whose requests may carry a body through the proxy. Every other method (`GET`, `HEAD`,
 * `OPTIONS`, `DELETE`, …) must come without one: Lacework's API reads no body on them, and
 * `node:http` sends no framing header for them, so a forwarded body would be read upstream as
 * the start of another request.
 */
export const BODY_METHODS: readonly string[] = ['POST', 'PUT', 'PATCH'];
const BODY_METHOD_SET = new Set(BODY_METHODS);

/** How a request body is delimited, once the proxy accepted it. */
export type Framing = { kind: 'none' } | { kind: 'length'; length: number } | { kind: 'chunked' };

/** Why a request's framing was refused. Never quotes the request back. */
export interface FramingProblem {
  problem: string;
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// A field value: visible ASCII, space, tab and obs-text; no CR, LF, NUL or other controls.
const FIELD_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;
const OWS = /^[ \t]+|[ \t]+$/g;
const DIGITS = /^\d{1,15}$/;

const problem = (text: string): FramingProblem => ({ problem: text });

/**
 * Decides how the body of `req` is delimited, from its raw header lines (not Node's merged view),
 * and refuses anything two HTTP parsers could read differently: `Transfer-Encoding` other than
 * exactly one `chunked`, `Transfer-Encoding` together with `Content-Length`, more than one
 * `Content-Length` or one that is not plain digits, `Transfer-Encoding` in HTTP/1.0, malformed
 * header names or values (what `insecureHTTPParser` lets through), and any body on a method
 * outside {@link BODY_METHODS}. Node's own parser already refuses some of these; this
 * does not depend on it.
 */
export function requestFraming(req: IncomingMessage): Framing | FramingProblem {
  const raw = req.rawHeaders;
  const codings: string[] = [];
  const lengths: string[] = [];
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i] as string;
    const value = raw[i + 1] as string;
    if (!TOKEN.test(name)) return problem('a header name is malformed');
    if (!FIELD_VALUE.test(value)) return problem('a header value contains a control character');
    const lower = name.toLowerCase();
    if (lower === 'transfer-encoding') codings.push(value.replace(OWS, ''));
    else if (lower === 'content-length') lengths.push(value.replace(OWS, ''));
  }
  let framing: Framing = { kind: 'none' };
  if (codings.length > 0) {
    if (req.httpVersion !== '1.1') {
      return problem('Transfer-Encoding is only allowed in HTTP/1.1 requests');
    }
    if (lengths.length > 0) return problem('Transfer-Encoding and Content-Length are both present');
    if (codings.length > 1 || (codings[0] as string).toLowerCase() !== 'chunked') {
      return problem('Transfer-Encoding must be exactly "chunked"');
    }
    framing = { kind: 'chunked' };
  } else if (lengths.length > 0) {
    if (lengths.length > 1) return problem('there is more than one Content-Length');
    const value = lengths[0] as string;
    if (!DIGITS.test(value)) return problem('Content-Length is not a plain number');
    const length = Number(value);
    if (length > 0) framing = { kind: 'length', length };
  }
  const method = req.method ?? 'GET';
  if (framing.kind !== 'none' && !BODY_METHOD_SET.has(method)) {
    return problem(`${method} requests must not have a body`);
  }
  // A body method without a body is sent with `Content-Length: 0`, so it is framed too.
  if (framing.kind === 'none' && BODY_METHOD_SET.has(method)) return { kind: 'length', length: 0 };
  return framing;
}

/** True when {@link requestFraming} refused the request. */
export function isFramingProblem(value: Framing | FramingProblem): value is FramingProblem {
  return 'problem' in value;
}

/**
 * The proxy's own framing headers for a body it forwards, never the client's: explicit for every
 * body, and none at all for methods without one (the upstream then reads no body).
 */
export function framingHeaders(framing: Framing): OutgoingHttpHeaders {
  if (framing.kind === 'chunked') return { 'transfer-encoding': 'chunked' };
  if (framing.kind === 'length') return { 'content-length': String(framing.length) };
  return {};
}
