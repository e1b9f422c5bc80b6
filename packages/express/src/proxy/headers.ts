import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import { InvalidOptionError } from '@lacework-auth/core';

/**
 * Request headers the proxy forwards by default. Everything else the client sends stays behind:
 * the proxy speaks to Lacework with its own identity, not the browser's.
 */
export const DEFAULT_FORWARDED_HEADERS: readonly string[] = [
  'accept',
  'accept-language',
  'content-type',
  'content-encoding',
  'user-agent',
  'if-match',
  'if-none-match',
  'if-modified-since',
  'if-unmodified-since',
];

/** Hop-by-hop headers (RFC 9110 §7.6.1) plus the proxy ones; never forwarded either way. */
export const HOP_BY_HOP_HEADERS: readonly string[] = [
  'connection',
  'keep-alive',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
];

/**
 * Headers that can never be forwarded upstream, even when listed in `forwardHeaders`: the
 * client's credentials, the API key header, the ones the proxy sets itself (framing, and
 * `accept-encoding: identity` so that response bodies can be masked), and hop-by-hop.
 */
export const NEVER_FORWARDED_HEADERS: readonly string[] = [
  ...HOP_BY_HOP_HEADERS,
  'content-length',
  'accept-encoding',
  'authorization',
  'cookie',
  'x-lw-uaks',
  'host',
  'account-name',
  'org-access',
  'expect',
  'forwarded',
  'x-forwarded-for',
  'x-forwarded-host',
  'x-forwarded-proto',
];

/** Default for `maxHeaderSize`: bytes of forwarded header names and values together. */
export const DEFAULT_MAX_HEADER_SIZE = 8192;

const HOP_BY_HOP = new Set(HOP_BY_HOP_HEADERS);
const NEVER_FORWARDED = new Set(NEVER_FORWARDED_HEADERS);

/**
 * Builds the set of request headers to forward from the defaults plus `extra` (case-insensitive),
 * refusing names the proxy never forwards.
 *
 * @throws {InvalidOptionError} naming `forwardHeaders` when an entry is not a valid header name or is one
 * the proxy never forwards.
 */
export function forwardedHeaderSet(extra: readonly string[] = []): ReadonlySet<string> {
  const set = new Set(DEFAULT_FORWARDED_HEADERS);
  for (const name of extra) {
    if (typeof name !== 'string' || !/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(name)) {
      throw new InvalidOptionError(
        `\`forwardHeaders\` entries must be header names, got ${String(name)}.`,
      );
    }
    const lower = name.toLowerCase();
    if (NEVER_FORWARDED.has(lower) || lower.startsWith('proxy-')) {
      throw new InvalidOptionError(
        `\`forwardHeaders\` must not contain "${lower}": the proxy never forwards credentials, hop-by-hop or routing headers.`,
      );
    }
    set.add(lower);
  }
  return set;
}

/** Lower-cased names listed in a `Connection` header (they are hop-by-hop for this message). */
function connectionListed(value: string | string[] | undefined): Set<string> | undefined {
  if (value === undefined) return undefined;
  // The usual values name no other header; skip building a set for every request.
  if (typeof value === 'string' && /^(?:keep-alive|close)$/i.test(value)) return undefined;
  const text = Array.isArray(value) ? value.join(',') : value;
  const names = new Set<string>();
  for (const part of text.split(',')) {
    const name = part.trim().toLowerCase();
    if (name !== '') names.add(name);
  }
  return names;
}

/**
 * Picks the client's request headers that may go upstream: only names in `allowed`, minus any
 * the client's `Connection` header lists. Returns `undefined` when the forwarded headers would be
 * larger than `maxSize` bytes.
 */
export function selectRequestHeaders(
  incoming: IncomingHttpHeaders,
  allowed: ReadonlySet<string>,
  maxSize: number = DEFAULT_MAX_HEADER_SIZE,
): OutgoingHttpHeaders | undefined {
  const listed = connectionListed(incoming.connection);
  const out: OutgoingHttpHeaders = {};
  let size = 0;
  for (const name in incoming) {
    if (!allowed.has(name) || listed?.has(name)) continue;
    const value = incoming[name];
    if (value === undefined) continue;
    size += name.length + (Array.isArray(value) ? value.join(', ').length : value.length) + 4;
    if (size > maxSize) return undefined;
    out[name] = value;
  }
  return out;
}

/** What {@link selectResponseHeaders} asks of a token mask. */
export interface LeakCheck {
  leaksInto(text: string): boolean;
}

/**
 * Filters upstream response headers (Node's flat `rawHeaders` list) for the client: drops
 * hop-by-hop headers and those the upstream's `Connection` header lists, `Set-Cookie`, and any
 * header whose name or value carries the bearer token as `leak` recognises it (Lacework never
 * echoes it, but the proxy does not rely on that); `dropEncoding`/`dropLength` drop
 * `Content-Encoding`/`Content-Length` (for a body the proxy decodes, or a 204). Names are
 * compared case-insensitively; repeated headers and the upstream's casing are kept. Returns
 * `undefined` when the headers left still carry the token together (pieces too short to notice
 * one by one, spread over several headers): such an answer is not relayed at all.
 */
export function selectResponseHeaders(
  rawHeaders: readonly string[],
  leak?: LeakCheck,
  { dropEncoding = false, dropLength = false } = {},
): string[] | undefined {
  let listed: Set<string> | undefined;
  for (let i = 0; i < rawHeaders.length; i += 2) {
    if ((rawHeaders[i] as string).toLowerCase() === 'connection') {
      listed ??= new Set();
      for (const name of connectionListed(rawHeaders[i + 1]) ?? []) listed.add(name);
    }
  }
  const out: string[] = [];
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i] as string;
    const value = rawHeaders[i + 1] as string;
    const lower = name.toLowerCase();
    if (HOP_BY_HOP.has(lower) || lower.startsWith('proxy-') || listed?.has(lower)) continue;
    if (lower === 'set-cookie' || lower === 'set-cookie2') continue;
    if (dropEncoding && lower === 'content-encoding') continue;
    if (dropLength && lower === 'content-length') continue;
    if (leak !== undefined && (leak.leaksInto(value) || leak.leaksInto(name))) continue;
    out.push(name, value);
  }
  if (leak !== undefined) {
    const names = out.filter((_, i) => i % 2 === 0).join('');
    const values = out.filter((_, i) => i % 2 === 1).join('');
    if (leak.leaksInto(values) || leak.leaksInto(names)) return undefined;
  }
  return out;
}
