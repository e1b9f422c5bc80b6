// URL rules without the `URL` class: Postman's sandbox has none. Hosts are read as the WHATWG URL
// standard (https://url.spec.whatwg.org/#host-parsing) reads them, and a host that a parser would
// rewrite (percent-escapes, IPv4 shorthand, IPv6 spellings) is reported as such instead of being
// silently changed: the host the user sees is the host the secret goes to.

/** A host as a URL parser serialises it, or why it cannot be used. */
export type HostReading =
  | { ok: true; host: string }
  | { ok: false; problem: 'invalid' | 'rewritten' | 'idn' };

// WHATWG "forbidden domain code points" (ASCII): these never belong in a host name.
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are forbidden
const FORBIDDEN_DOMAIN = /[\u0000-\u0020#%/:<>?@[\\\]^|\u007f]/;

/**
 * Reads the host part of an authority (`acme.lacework.net`, `127.0.0.1`, `[::1]`), ASCII only, as
 * a URL parser does: lower-cased; `rewritten` when the parser would serialise it differently from
 * how it is written (so the result is always the host as typed, lower-cased); `invalid` when the
 * parser would refuse it.
 */
export function readHost(written: string): HostReading {
  if (written === '') return { ok: false, problem: 'invalid' };
  if (written.startsWith('[')) {
    if (!written.endsWith(']')) return { ok: false, problem: 'invalid' };
    const pieces = parseIpv6(written.slice(1, -1));
    if (pieces === undefined) return { ok: false, problem: 'invalid' };
    const host = `[${serializeIpv6(pieces)}]`;
    return host === written.toLowerCase()
      ? { ok: true, host }
      : { ok: false, problem: 'rewritten' };
  }
  const lower = written.toLowerCase();
  if (lower.includes('%')) {
    // The parser decodes escapes first: what is left either fails or is another spelling.
    const decoded = lower.replace(/%([0-9a-f]{2})/g, (_, hex: string) =>
      String.fromCharCode(Number.parseInt(hex, 16)),
    );
    return {
      ok: false,
      problem:
        FORBIDDEN_DOMAIN.test(decoded) || /[^\x21-\x7e]/.test(decoded) ? 'invalid' : 'rewritten',
    };
  }
  if (FORBIDDEN_DOMAIN.test(lower) || /[^\x21-\x7e]/.test(lower)) {
    return { ok: false, problem: 'invalid' };
  }
  // Internationalised labels: parsers decode, check and may re-encode them (UTS #46); Lacework
  // hosts have none, so they are refused rather than read differently from how they look.
  if (lower.split('.').some((label) => label.startsWith('xn--'))) {
    return { ok: false, problem: 'idn' };
  }
  if (endsInNumber(lower)) {
    const address = parseIpv4(lower);
    if (address === undefined) return { ok: false, problem: 'invalid' };
    return address === lower.replace(/\.$/, '')
      ? { ok: true, host: address }
      : { ok: false, problem: 'rewritten' };
  }
  return { ok: true, host: lower };
}

/**
 * Reads a port as a URL parser does: digits only, up to 65535; `''` for none or the scheme's
 * default port. `undefined` when the parser would refuse it.
 */
export function readPort(written: string, scheme: 'http' | 'https'): string | undefined {
  if (written === '') return '';
  if (!/^\d+$/.test(written)) return undefined;
  const port = Number(written);
  if (port > 65535) return undefined;
  return port === (scheme === 'https' ? 443 : 80) ? '' : String(port);
}

/** A `scheme://host[:port]` URL read strictly, see {@link readHttpUrl}. */
export interface HttpUrl {
  scheme: 'http' | 'https';
  /** The host as serialised (`acme.lacework.net`, `127.0.0.1`, `[::1]`), without a trailing dot. */
  host: string;
  /** `''` for the scheme's default port, else the port number. */
  port: string;
  /** `scheme://host[:port]`, the form `URL.origin` gives. */
  origin: string;
  /** The path (`/` when empty), without query or fragment. */
  path: string;
}

const PLAIN_HOST =
  /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*|\[[0-9a-f:.]+\])$/;

// scheme://authority, then the path, query or fragment (or nothing).
const HTTP_URL = /^([a-z][a-z0-9+.-]*):\/\/([^/?#\\]*)([/?#][^\\]*)?$/i;

/**
 * Reads an absolute `http(s)` URL only when every parser reads it the same way: no user info, no
 * backslash, no spaces or control characters, no non-ASCII, and a host and port written in the
 * form a parser keeps, of letters, digits, hyphens and dots (or an IP literal). `undefined` for
 * anything else (a relative URL too). `anyHostCharacters` accepts every character WHATWG URL
 * accepts in a host (`_`, `;`, …): for describing a URL, never for deciding where a token goes.
 *
 * @example
 * ```ts
 * readHttpUrl('https://acme.lacework.net:443/api/v2/x?y')?.origin; // 'https://acme.lacework.net'
 * readHttpUrl('https://acme.lacework.net@evil.example');            // undefined
 * ```
 */
export function readHttpUrl(
  text: string,
  { anyHostCharacters = false }: { anyHostCharacters?: boolean } = {},
): HttpUrl | undefined {
  if (/[^\x21-\x7e]/.test(text)) return undefined;
  const match = HTTP_URL.exec(text);
  if (!match) return undefined;
  const scheme = (match[1] ?? '').toLowerCase();
  if (scheme !== 'http' && scheme !== 'https') return undefined;
  const authority = match[2] ?? '';
  if (authority.includes('@')) return undefined;
  const split = splitAuthority(authority);
  if (split === undefined) return undefined;
  const host = readHost(split.host);
  const port = readPort(split.port, scheme);
  if (!host.ok || port === undefined) return undefined;
  const name = host.host.replace(/\.$/, '');
  // Letters, digits, hyphens and dots (or an IP literal) only: other characters that URL allows
  // in a host (`;`, `!`, `$`, …) are where older parsers, such as the legacy Node URL that newman
  // sends with, end the host earlier.
  if (!anyHostCharacters && !PLAIN_HOST.test(name)) return undefined;
  const origin = `${scheme}://${name}${port === '' ? '' : `:${port}`}`;
  const path = (match[3] ?? '').split(/[?#]/)[0] || '/';
  return { scheme, host: name, port, origin, path };
}

/** An authority's host and port text (`[::1]:80` → `[::1]`, `80`), or `undefined` if malformed. */
export function splitAuthority(authority: string): { host: string; port: string } | undefined {
  if (authority.startsWith('[')) {
    const end = authority.indexOf(']');
    if (end === -1) return undefined;
    const rest = authority.slice(end + 1);
    if (rest !== '' && !rest.startsWith(':')) return undefined;
    return { host: authority.slice(0, end + 1), port: rest.slice(1) };
  }
  const colon = authority.indexOf(':');
  if (colon === -1) return { host: authority, port: '' };
  return { host: authority.slice(0, colon), port: authority.slice(colon + 1) };
}

/** True for 127.0.0.0/8, ::1 and localhost. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host === '::1') return true;
  const parts = host.split('.');
  return (
    parts.length === 4 &&
    parts[0] === '127' &&
    parts.every((part) => /^\d{1,3}$/.test(part) && Number(part) <= 255)
  );
}

// WHATWG "ends in a number": the host is read as an IPv4 address.
function endsInNumber(host: string): boolean {
  const parts = host.split('.');
  if (parts[parts.length - 1] === '' && parts.length > 1) parts.pop();
  const last = parts[parts.length - 1] ?? '';
  return /^\d+$/.test(last) || /^0x[0-9a-f]*$/.test(last);
}

/** The dotted-quad serialisation of an IPv4 host, or `undefined` when a parser refuses it. */
function parseIpv4(host: string): string | undefined {
  const parts = host.split('.');
  if (parts[parts.length - 1] === '' && parts.length > 1) parts.pop();
  if (parts.length > 4) return undefined;
  const numbers: number[] = [];
  for (const part of parts) {
    let value: number;
    if (/^0x[0-9a-f]*$/.test(part)) value = part.length === 2 ? 0 : Number.parseInt(part, 16);
    else if (/^0[0-7]+$/.test(part)) value = Number.parseInt(part, 8);
    else if (/^(0|[1-9]\d*)$/.test(part)) value = Number(part);
    else return undefined;
    numbers.push(value);
  }
  const last = numbers.pop() as number;
  if (numbers.some((value) => value > 255) || last >= 256 ** (4 - numbers.length)) {
    return undefined;
  }
  let address = last;
  numbers.forEach((value, index) => {
    address += value * 256 ** (3 - index);
  });
  const quad: number[] = [];
  for (let i = 0; i < 4; i++) {
    quad.unshift(address % 256);
    address = Math.floor(address / 256);
  }
  return quad.join('.');
}

/** The eight 16-bit pieces of an IPv6 address (without brackets), or `undefined`. */
function parseIpv6(text: string): number[] | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const read = (part: string, allowIpv4: boolean): number[] | undefined => {
    if (part === '') return [];
    const groups = part.split(':');
    const pieces: number[] = [];
    for (const [index, group] of groups.entries()) {
      if (allowIpv4 && index === groups.length - 1 && group.includes('.')) {
        const octets = group.split('.');
        if (octets.length !== 4 || !octets.every((o) => /^(0|[1-9]\d{0,2})$/.test(o))) {
          return undefined;
        }
        const values = octets.map(Number);
        if (values.some((v) => v > 255)) return undefined;
        pieces.push(
          (values[0] as number) * 256 + (values[1] as number),
          (values[2] as number) * 256 + (values[3] as number),
        );
      } else if (/^[0-9a-f]{1,4}$/i.test(group)) {
        pieces.push(Number.parseInt(group, 16));
      } else {
        return undefined;
      }
    }
    return pieces;
  };
  if (halves.length === 1) {
    const pieces = read(text, true);
    return pieces?.length === 8 ? pieces : undefined;
  }
  const head = read(halves[0] ?? '', false);
  const tail = read(halves[1] ?? '', true);
  if (head === undefined || tail === undefined || head.length + tail.length > 7) return undefined;
  return [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
}

/** WHATWG IPv6 serialisation: lower-case hex, the first longest run of 2+ zero pieces as `::`. */
function serializeIpv6(pieces: number[]): string {
  let best = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (pieces[i] !== 0) {
      i++;
      continue;
    }
    let end = i;
    while (end < 8 && pieces[end] === 0) end++;
    if (end - i > bestLength) {
      best = i;
      bestLength = end - i;
    }
    i = end;
  }
  const hex = pieces.map((piece) => piece.toString(16));
  if (best === -1) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLength).join(':')}`;
}
