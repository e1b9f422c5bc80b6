/**
 * A deliberately strict HTTP/1.1 message parser, the test oracle for what crosses a socket: CRLF
 * only, header names must be tokens, no obs-fold, at most one `Content-Length` (digits only), at
 * most one `Transfer-Encoding` and only `chunked`, never both, chunk sizes without extensions or
 * padding. Anything a lenient server might read one way and a strict one another is an error.
 */

export interface Message {
  /** Request: method; response: `''`. */
  method: string;
  /** Request target; `''` for responses. */
  target: string;
  /** Response status; `0` for requests. */
  status: number;
  version: string;
  /** Header names as sent, values without surrounding whitespace, in order. */
  headers: [string, string][];
  body: Buffer;
  framing: 'none' | 'length' | 'chunked' | 'close';
}

export interface ParseResult {
  messages: Message[];
  /** Bytes after the last complete message (an incomplete message, or nothing). */
  rest: Buffer;
  /** Why parsing stopped on malformed input; `undefined` when all complete messages were fine. */
  error?: string;
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;
const REQUEST_LINE = /^([!#$%&'*+\-.^_`|~0-9A-Za-z]+) (\S+) HTTP\/(1\.[01])$/;
const STATUS_LINE = /^HTTP\/(1\.[01]) ([1-5]\d\d) [\t\x20-\x7e]*$/;

class Incomplete extends Error {}
class Malformed extends Error {}

function line(buf: Buffer, at: number): { text: string; next: number } {
  const lf = buf.indexOf(0x0a, at);
  if (lf === -1) throw new Incomplete();
  if (lf === at || buf[lf - 1] !== 0x0d) throw new Malformed('bare LF');
  const text = buf.toString('latin1', at, lf - 1);
  if (text.includes('\r')) throw new Malformed('bare CR');
  return { text, next: lf + 1 };
}

function header(headers: [string, string][], name: string): string[] {
  return headers.filter(([n]) => n.toLowerCase() === name).map(([, v]) => v);
}

/**
 * Parses one message at `at`. `bodyless` says whether this message cannot have a body (responses
 * to HEAD, 1xx/204/304); `eof` whether the input is complete (a response without a length then
 * runs to the end).
 */
function parseOne(
  buf: Buffer,
  at: number,
  kind: 'request' | 'response',
  bodyless: (m: Message) => boolean,
  eof: boolean,
): { message: Message; next: number } {
  const start = line(buf, at);
  const message: Message = {
    method: '',
    target: '',
    status: 0,
    version: '',
    headers: [],
    body: Buffer.alloc(0),
    framing: 'none',
  };
  if (kind === 'request') {
    const m = REQUEST_LINE.exec(start.text);
    if (!m) throw new Malformed(`bad request line ${JSON.stringify(start.text.slice(0, 80))}`);
    [, message.method = '', message.target = '', message.version = ''] = m;
  } else {
    const m = STATUS_LINE.exec(start.text);
    if (!m) throw new Malformed(`bad status line ${JSON.stringify(start.text.slice(0, 80))}`);
    message.version = m[1] ?? '';
    message.status = Number(m[2]);
  }
  let pos = start.next;
  for (;;) {
    const { text, next } = line(buf, pos);
    pos = next;
    if (text === '') break;
    if (text.startsWith(' ') || text.startsWith('\t')) throw new Malformed('obs-fold');
    const colon = text.indexOf(':');
    const name = colon === -1 ? '' : text.slice(0, colon);
    if (!TOKEN.test(name)) throw new Malformed(`bad header name ${JSON.stringify(name)}`);
    const value = text.slice(colon + 1).replace(/^[ \t]+|[ \t]+$/g, '');
    if (!VALUE.test(value)) throw new Malformed(`bad value for ${name}`);
    message.headers.push([name, value]);
  }
  const lengths = header(message.headers, 'content-length');
  const codings = header(message.headers, 'transfer-encoding');
  if (lengths.length > 1) throw new Malformed('more than one Content-Length');
  if (codings.length > 1) throw new Malformed('more than one Transfer-Encoding');
  if (lengths.length && codings.length) throw new Malformed('Content-Length and Transfer-Encoding');
  if (lengths[0] !== undefined && !/^\d+$/.test(lengths[0])) {
    throw new Malformed('bad Content-Length');
  }
  if (codings[0] !== undefined && codings[0] !== 'chunked') {
    throw new Malformed(`Transfer-Encoding ${JSON.stringify(codings[0])}`);
  }
  if (bodyless(message)) return { message, next: pos };
  if (codings.length) {
    message.framing = 'chunked';
    const parts: Buffer[] = [];
    for (;;) {
      const size = line(buf, pos);
      if (!/^[0-9A-Fa-f]{1,8}$/.test(size.text)) throw new Malformed('bad chunk size');
      const n = Number.parseInt(size.text, 16);
      pos = size.next;
      if (n === 0) {
        const end = line(buf, pos);
        if (end.text !== '') throw new Malformed('trailer fields');
        pos = end.next;
        break;
      }
      if (buf.length < pos + n + 2) throw new Incomplete();
      parts.push(buf.subarray(pos, pos + n));
      if (buf.toString('latin1', pos + n, pos + n + 2) !== '\r\n') {
        throw new Malformed('chunk not followed by CRLF');
      }
      pos += n + 2;
    }
    message.body = Buffer.concat(parts);
    return { message, next: pos };
  }
  if (lengths[0] !== undefined) {
    const n = Number(lengths[0]);
    message.framing = 'length';
    if (buf.length < pos + n) throw new Incomplete();
    message.body = buf.subarray(pos, pos + n);
    return { message, next: pos + n };
  }
  if (kind === 'request') return { message, next: pos };
  if (!eof) throw new Incomplete();
  message.framing = 'close';
  message.body = buf.subarray(pos);
  return { message, next: buf.length };
}

function parseAll(
  buf: Buffer,
  kind: 'request' | 'response',
  bodyless: (m: Message, index: number) => boolean,
  eof: boolean,
): ParseResult {
  const messages: Message[] = [];
  let at = 0;
  while (at < buf.length) {
    try {
      const { message, next } = parseOne(buf, at, kind, (m) => bodyless(m, messages.length), eof);
      messages.push(message);
      at = next;
    } catch (error) {
      if (error instanceof Incomplete) break;
      return { messages, rest: buf.subarray(at), error: (error as Error).message };
    }
  }
  return { messages, rest: buf.subarray(at) };
}

/** Parses the requests a client sent on one connection. */
export function parseRequests(buf: Buffer): ParseResult {
  return parseAll(buf, 'request', () => false, false);
}

/**
 * Parses the responses a server sent on one connection, given the methods of the requests they
 * answer (for HEAD); `eof` when the connection is closed (a response without length ends there).
 * Interim 1xx responses are returned too and do not use up a method.
 */
export function parseResponses(buf: Buffer, methods: readonly string[], eof = true): ParseResult {
  let final = 0;
  return parseAll(
    buf,
    'response',
    (m) => {
      if (m.status < 200) return true;
      const method = methods[final++];
      return method === 'HEAD' || m.status === 204 || m.status === 304;
    },
    eof,
  );
}

/** The value of a header (case-insensitive name), or `undefined`; joined with `, ` if repeated. */
export function headerValue(message: Message, name: string): string | undefined {
  const values = header(message.headers, name.toLowerCase());
  return values.length ? values.join(', ') : undefined;
}
