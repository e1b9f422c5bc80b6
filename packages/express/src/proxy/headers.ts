import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import { InvalidOptionError } from '@lacework-auth/core';
import { SAFE_INPUT, showInput } from '@lacework-auth/core/internal';

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
 * `accept-encoding: identity` so that response bodies can be masked), hop-by-hop, routing and
 * method overrides (the allow-list checks the request's own method and path), and range
 * requests (masking sees a whole answer, never a piece). See also
 * {@link NEVER_FORWARDED_PREFIXES}.
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
  // Another method or path than the one the allow-list checked, for servers that honour them.
  'x-http-method-override',
  'x-http-method',
  'x-method-override',
  'x-original-url',
  'x-rewrite-url',
  // An answer in pieces: each piece could carry part of a reflected token, too short to mask.
  'range',
  'if-range',
];

/**
 * Prefixes of header names that are never forwarded either: proxy headers, every `X-Forwarded-*`
 * (routing and identity), and `X-LW-*`, Lacework's own (its API key header is `X-LW-UAKS`).
 */
export const NEVER_FORWARDED_PREFIXES: readonly string[] = ['proxy-', 'x-forwarded-', 'x-lw-'];

/**
 * Response headers that set the browser's state or policy for the whole origin they arrive from,
 * or who else may read and embed its answers. Relayed by the proxy they would arrive from your
 * app's origin, so they are your app's to set, never Lacework's: the proxy drops them (and every
 * `Access-Control-*` header) from Lacework's answers, and the values your own middleware set, if
 * any, stay. `Set-Cookie` would set cookies for your app; `Clear-Site-Data` would wipe them and
 * its storage; `Strict-Transport-Security`, `Alt-Svc`, `NEL` and the reporting headers would
 * persist for your origin; CORS and `Cross-Origin-*` headers would open your origin's answers to
 * other sites; `WWW-Authenticate` (Lacework challenging the server's key) would make the browser
 * ask its user for a password on your origin.
 */
export const ORIGIN_POLICY_HEADERS: readonly string[] = [
  'set-cookie',
  'set-cookie2',
  'clear-site-data',
  'strict-transport-security',
  'alt-svc',
  'nel',
  'report-to',
  'reporting-endpoints',
  'service-worker-allowed',
  'origin-agent-cluster',
  'cross-origin-opener-policy',
  'cross-origin-embedder-policy',
  'cross-origin-resource-policy',
  'timing-allow-origin',
  'permissions-policy',
  'feature-policy',
  'www-authenticate',
];

/**
 * Headers the proxy sets on every answer it relays, replacing Lacework's: the answer came with the
 * server's key and is served from your app's origin, so no shared cache may keep it (see
 * {@link sharedCacheSafe}), no browser may sniff it into HTML, and nothing in it may run as a page
 * of your origin, whatever its `Content-Type` (a Lacework answer that reflects its input is then
 * still only data).
 */
export const RELAYED_RESPONSE_HEADERS: Readonly<Record<string, string>> = {
  'X-Content-Type-Options': 'nosniff',
  'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'; sandbox",
};

/** Response headers that only address caches in front of your app (CDNs), never relayed. */
const CDN_CACHE_HEADERS = /^(?:surrogate-control|(?:[a-z0-9-]+-)?cdn-cache-control)$/;

/**
 * Lacework's `Cache-Control` made safe for a shared cache in front of your app: its answer was
 * fetched with the server's key, for whoever your app let through, so a CDN or corporate proxy
 * must never keep it and hand it to the next user. `public` and `s-maxage` go, `private` is added
 * (browsers may still cache for their own user as Lacework allows), and an answer without
 * `Cache-Control` gets `no-store`.
 *
 * @example
 * ```ts
 * sharedCacheSafe('public, max-age=60, s-maxage=600'); // 'private, max-age=60'
 * sharedCacheSafe(undefined);                           // 'no-store'
 * ```
 */
export function sharedCacheSafe(value: string | undefined): string {
  if (value === undefined || value.trim() === '') return 'no-store';
  const directives = value
    .split(',')
    .map((directive) => directive.trim())
    .filter((directive) => directive !== '' && !/^(?:public|s-maxage\s*=.*)$/i.test(directive));
  if (directives.some((directive) => /^no-store$/i.test(directive))) return 'no-store';
  if (!directives.some((directive) => /^private(?:\s*=.*)?$/i.test(directive))) {
    directives.unshift('private');
  }
  return directives.join(', ');
}

/** Default for `maxHeaderSize`: bytes of forwarded header names and values together. */
export const DEFAULT_MAX_HEADER_SIZE = 8192;

const HOP_BY_HOP = new Set(HOP_BY_HOP_HEADERS);
const NEVER_FORWARDED = new Set(NEVER_FORWARDED_HEADERS);
const ORIGIN_POLICY = new Set(ORIGIN_POLICY_HEADERS);
/** Lacework's own values of these are replaced (see `relay`). */
const REPLACED = new Set([
  'cache-control',
  ...Object.keys(RELAYED_RESPONSE_HEADERS).map((n) => n.toLowerCase()),
  'content-security-policy-report-only',
]);

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
        `\`forwardHeaders\` entries must be header names, got ${showInput(name, SAFE_INPUT.name)}.`,
        { option: 'forwardHeaders' },
      );
    }
    const lower = name.toLowerCase();
    if (
      NEVER_FORWARDED.has(lower) ||
      NEVER_FORWARDED_PREFIXES.some((prefix) => lower.startsWith(prefix))
    ) {
      throw new InvalidOptionError(
        `\`forwardHeaders\` must not contain "${lower}": the proxy never forwards credentials, hop-by-hop, routing, method-override or range headers.`,
        { option: 'forwardHeaders' },
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
 * hop-by-hop headers and those the upstream's `Connection` header lists, the
 * {@link ORIGIN_POLICY_HEADERS} (`Set-Cookie` among them) and `Access-Control-*`, the headers the
 * proxy replaces (`Cache-Control`, see {@link sharedCacheSafe}; {@link RELAYED_RESPONSE_HEADERS};
 * `Content-Security-Policy-Report-Only`) and those addressed to CDNs, and any
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
    if (ORIGIN_POLICY.has(lower) || lower.startsWith('access-control-')) continue;
    if (REPLACED.has(lower) || CDN_CACHE_HEADERS.test(lower)) continue;
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
