/** A request target the proxy may forward: a path under `/api/v2/` plus its query. */
export interface ProxyTarget {
  /** The path relative to the mount point, exactly as received (validated), e.g. `/Alerts/search`. */
  path: string;
  /** The path with each segment percent-decoded, used for allow-list matching. */
  decodedPath: string;
  /** `''` or the query string including its leading `?`, exactly as received (validated). */
  search: string;
}

/** Why a request target was refused. Messages never quote the hostile input back. */
export interface ProxyPathRejection {
  reason: string;
}

/** Default for `maxUrlLength`: long enough for any Lacework API path and query. */
export const DEFAULT_MAX_URL_LENGTH = 4096;

// Raw characters allowed in the path: RFC 3986 unreserved, `%` (checked below), `/`, and the
// sub-delims/`:` that are harmless here. `@`, `;` and `\` are refused: `@` turns a naive
// URL join into userinfo, `;` is a path-parameter separator some servers strip (`..;/`).
const PATH_CHARS = /^[A-Za-z0-9\-._~!$&'()*+,=:%/]*$/;
// Anything printable except `#` and `\` may appear raw in the query; the query is appended to a
// fixed origin and path, so it cannot change where the request goes.
const QUERY_CHARS = /^[\x21-\x22\x24-\x5b\x5d-\x7e]*$/;
const BAD_PERCENT = /%(?![0-9A-Fa-f]{2})/;
// Encoded C0 controls and DEL: header injection material (`%0d%0a`) and NUL truncation.
const ENCODED_CONTROL = /%(?:[01][0-9A-Fa-f]|7[Ff])/;
// What a decoded segment may contain: printable ASCII without separators, escapes or controls.
const DECODED_SEGMENT_CHARS = /^[\x20-\x22\x24\x26-\x2e\x30-\x3a\x3c-\x3e\x41-\x5b\x5d-\x7e]+$/;
const DOTS_ONLY = /^[\s.]*$/;
const SCHEME_LIKE = /:/;

function reject(reason: string): ProxyPathRejection {
  return { reason };
}

function decodeSegment(segment: string): string | undefined {
  if (!segment.includes('%')) return segment;
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/**
 * Validates the part of a request URL below the proxy's mount point (Express's `req.url` inside a
 * mounted middleware) and splits it into path and query. Anything that could make the upstream
 * request leave `${baseUrl}/api/v2/` is refused: absolute-form and `//host` targets, `..`/`.`
 * segments (raw, percent-encoded or double-encoded), encoded slashes and backslashes, `@`,
 * control characters (raw or encoded, including CRLF), malformed escapes, non-ASCII path
 * segments and targets longer than `maxUrlLength`.
 *
 * The accepted path is forwarded byte for byte, so what was checked is what is sent.
 *
 * @example
 * ```ts
 * parseProxyTarget('/Alerts/search?limit=10'); // { path: '/Alerts/search', decodedPath: …, search: '?limit=10' }
 * parseProxyTarget('/..%2fadmin');             // { reason: 'the path contains an encoded "/" or "\\"' }
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
  const path = queryStart === -1 ? url : url.slice(0, queryStart);
  const search = queryStart === -1 ? '' : url.slice(queryStart);

  if (!PATH_CHARS.test(path)) {
    return reject('the path contains a character that is not allowed (such as "\\", "@", ";")');
  }
  if (search !== '' && !QUERY_CHARS.test(search)) {
    return reject('the query contains a character that is not allowed (such as "#", "\\")');
  }
  if (BAD_PERCENT.test(url)) return reject('the URL contains a malformed percent escape');
  if (ENCODED_CONTROL.test(url)) return reject('the URL contains an encoded control character');

  const segments = path.slice(1).split('/');
  const last = segments.length - 1;
  const decoded: string[] = [];
  for (let i = 0; i <= last; i++) {
    const segment = segments[i] as string;
    if (segment === '') {
      // A single trailing slash (`/Alerts/`) or the mount root (`/`) is harmless; an empty
      // segment anywhere else is how `//host` and `a//b` tricks start.
      if (i === last) {
        decoded.push('');
        continue;
      }
      return reject('the path contains an empty segment ("//")');
    }
    const plain = decodeSegment(segment);
    if (plain === undefined) return reject('the path contains an invalid percent escape');
    if (plain.includes('/') || plain.includes('\\')) {
      return reject('the path contains an encoded "/" or "\\"');
    }
    if (plain.includes('%')) return reject('the path contains a double-encoded escape');
    if (DOTS_ONLY.test(plain)) return reject('the path contains a "." or ".." segment');
    if (!DECODED_SEGMENT_CHARS.test(plain)) {
      return reject('the path contains a character that is not allowed once decoded');
    }
    if (i === 0 && SCHEME_LIKE.test(plain)) {
      return reject('the path must not start with a URL scheme or "host:port"');
    }
    decoded.push(plain);
  }

  return { path, decodedPath: `/${decoded.join('/')}`, search };
}

/** True when {@link parseProxyTarget} refused the target. */
export function isRejection(value: ProxyTarget | ProxyPathRejection): value is ProxyPathRejection {
  return 'reason' in value;
}
