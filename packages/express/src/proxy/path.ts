/** A request target the proxy may forward: a canonical path under `/api/v2/` plus its query. */
export interface ProxyTarget {
  /**
   * The path relative to the mount point in its one canonical spelling, e.g. `/Alerts/search`:
   * percent-encoded unreserved characters decoded (`/%55serProfile` → `/UserProfile`), nothing
   * else encoded. This is what the allow-list matches, what per-route state is keyed on, and what
   * is forwarded.
   */
  path: string;
  /** `''` or the query string including its leading `?`, exactly as received (validated). */
  search: string;
}

/** Why a request target was refused. Messages never quote the hostile input back. */
export interface ProxyPathRejection {
  reason: string;
}

/** Default for `maxUrlLength`: long enough for any Lacework API path and query. */
export const DEFAULT_MAX_URL_LENGTH = 4096;

// Raw characters allowed in the path: RFC 3986 unreserved, the sub-delims and `:` that are
// harmless here, `/` and `%` (checked below). `@` turns a naive URL join into userinfo, `;` is a
// path-parameter separator some servers strip (`..;/`), `\` is a separator on others.
const PATH_CHARS = /^[A-Za-z0-9\-._~!$&'()*+,=:%/]*$/;
// Anything printable except `#` and `\` may appear raw in the query; the query is appended to a
// fixed origin and path, so it cannot change where the request goes.
const QUERY_CHARS = /^[\x21-\x22\x24-\x5b\x5d-\x7e]*$/;
const BAD_PERCENT = /%(?![0-9A-Fa-f]{2})/;
// Encoded C0 controls and DEL: header injection material (`%0d%0a`) and NUL truncation.
const ENCODED_CONTROL = /%(?:[01][0-9A-Fa-f]|7[Ff])/;
const ESCAPE = /%([0-9A-Fa-f]{2})/g;
// The only characters an escape in the path may stand for: RFC 3986 unreserved, whose encoded
// and plain spellings are equivalent (§6.2.2.2), so decoding them is normalisation, not a guess.
const UNRESERVED = /^[A-Za-z0-9\-._~]$/;
const DOTS_ONLY = /^\.+$/;
const SCHEME_LIKE = /:/;
const TOKEN_ENDPOINT = 'access/tokens';

function reject(reason: string): ProxyPathRejection {
  return { reason };
}

/** Letters and digits a segment starts with, lower-cased: `Tokens.json` → `tokens`. */
const stem = (segment: string) => /^[a-z0-9]*/.exec(segment.toLowerCase())?.[0] ?? '';

/**
 * True when a canonical path names Lacework's token endpoint (`…/access/tokens`), however it is
 * spelled: any case, and with anything after the letters of a segment (`tokens.`, `tokens~x`),
 * since some servers ignore a trailing dot, an extension or a suffix. Only `POST` to that
 * endpoint exchanges a key, but no method is forwarded there.
 */
export function namesTokenEndpoint(path: string): boolean {
  const segments = path.split('/').map(stem);
  for (let i = 0; i + 1 < segments.length; i++) {
    if (segments[i] === 'access' && segments[i + 1] === 'tokens') return true;
  }
  return false;
}

/** The query with escapes decoded and lower-cased, for spotting the token endpoint in it. */
function decodedQuery(search: string): string {
  return search
    .replace(ESCAPE, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)))
    .toLowerCase();
}

/**
 * Validates the part of a request URL below the proxy's mount point (Express's `req.url` inside
 * a mounted middleware), splits it into path and query, and brings the path to its canonical
 * spelling. The proxy refuses what it would otherwise have to guess about, rather than pick one
 * reading: absolute-form and `//host` targets, empty segments (`a//b`, a trailing `/`, the bare
 * mount point), `.`/`..` segments and segments ending in `.`, escapes of anything but unreserved
 * characters (so no encoded `/`, `\`, `.`-tricks beyond plain dots, spaces, controls, non-ASCII
 * or double encoding), raw `\`, `@`, `;`, control characters, malformed escapes, a first segment
 * that looks like a scheme or `host:port`, a query that mentions the token endpoint, and targets
 * longer than `maxUrlLength`.
 *
 * @example
 * ```ts
 * parseProxyTarget('/Alerts/search?limit=10'); // { path: '/Alerts/search', search: '?limit=10' }
 * parseProxyTarget('/%55serProfile');          // { path: '/UserProfile', search: '' }
 * parseProxyTarget('/..%2fadmin');             // { reason: 'the path encodes a character …' }
 * ```
 */
export function parseProxyTarget(
  url: string,
  maxUrlLength: number = DEFAULT_MAX_URL_LENGTH,
): ProxyTarget | ProxyPathRejection {
  if (url.length > maxUrlLength) return reject(`the URL is longer than ${maxUrlLength} characters`);
  if (url.charCodeAt(0) !== 0x2f) return reject('the URL must be a path starting with "/"');
  if (url.charCodeAt(1) === 0x2f) return reject('the path must not start with "//"');

  const queryStart = url.indexOf('?');
  const rawPath = queryStart === -1 ? url : url.slice(0, queryStart);
  const search = queryStart === -1 ? '' : url.slice(queryStart);

  if (!PATH_CHARS.test(rawPath)) {
    return reject('the path contains a character that is not allowed (such as "\\", "@", ";")');
  }
  if (search !== '' && !QUERY_CHARS.test(search)) {
    return reject('the query contains a character that is not allowed (such as "#", "\\")');
  }
  if (BAD_PERCENT.test(url)) return reject('the URL contains a malformed percent escape');
  if (ENCODED_CONTROL.test(url)) return reject('the URL contains an encoded control character');

  let encodesOther = false;
  const path = rawPath.replace(ESCAPE, (escaped, hex: string) => {
    const char = String.fromCharCode(Number.parseInt(hex, 16));
    if (UNRESERVED.test(char)) return char;
    encodesOther = true;
    return escaped;
  });
  if (encodesOther) {
    return reject(
      'the path encodes a character other than a letter, digit, "-", ".", "_" or "~" (write it plainly, or not at all)',
    );
  }

  const segments = path.slice(1).split('/');
  for (const [i, segment] of segments.entries()) {
    if (segment === '') {
      return reject(
        segments.length === 1
          ? 'the path names no API resource'
          : 'the path contains an empty segment ("//" or a trailing "/")',
      );
    }
    if (DOTS_ONLY.test(segment)) return reject('the path contains a "." or ".." segment');
    if (segment.endsWith('.')) return reject('a path segment ends with "."');
    if (i === 0 && SCHEME_LIKE.test(segment)) {
      return reject('the path must not start with a URL scheme or "host:port"');
    }
  }
  if (decodedQuery(search).includes(TOKEN_ENDPOINT)) {
    return reject('the query mentions the token endpoint');
  }
  return { path, search };
}

/** True when {@link parseProxyTarget} refused the target. */
export function isRejection(value: ProxyTarget | ProxyPathRejection): value is ProxyPathRejection {
  return 'reason' in value;
}
