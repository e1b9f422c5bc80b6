import { LACEWORK_SUFFIX } from './constants.js';
import { InvalidBaseUrlError } from './errors.js';
import { looksLikeSecret, SAFE_INPUT, showInput } from './redact.js';
import { isLoopbackHost, readHost, readPort, splitAuthority } from './url.js';

export { isLoopbackHost } from './url.js';

/** Options for {@link resolveBaseUrl}. */
export interface ResolveBaseUrlOptions {
  /**
   * Accept hosts outside `.lacework.net` (and loopback `http:`). Only for a base URL the user gave
   * explicitly (`baseUrl` option, `LW_API_SERVER_URL`), never for an account name.
   * @default false
   */
  allowAnyHost?: boolean;
  /**
   * Accept loopback hosts (`http:` or `https:`) without `allowAnyHost`: a local emulator or proxy
   * on this machine. The Postman script uses it; `allowAnyHost` implies it.
   * @default false
   */
  allowLoopback?: boolean;
  /**
   * The setting the value came from, as error messages name it, e.g. `` `account` `` or
   * `LW_API_SERVER_URL`.
   * @default 'The Lacework account or base URL'
   */
  setting?: string;
  /**
   * The sentence that tells how to use a host outside `.lacework.net` when it is refused.
   * @default how to pass it as `baseUrl` or LW_API_SERVER_URL
   */
  otherHostHint?: string;
}

const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
// account, account.region, account.region.internal — Go's lwdomain rejects more labels.
const MAX_LACEWORK_LABELS = 3;
const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;

/** Why a value is not a usable base URL (see {@link readBaseUrl}). */
export type BaseUrlProblem =
  | 'type'
  | 'empty'
  | 'secret'
  | 'spaces'
  | 'non-ascii'
  | 'backslash'
  | 'user-info'
  | 'scheme'
  | 'not-url'
  | 'rewritten'
  | 'idn'
  | 'clear-text'
  | 'bare-loopback'
  | 'labels'
  | 'key-label'
  | 'account-name'
  | 'lacework-http'
  | 'other-host'
  | 'key-host'
  | 'host-name';

/**
 * A value read as a base URL: the URL, or the problem. `host` (when known) is the host as URL
 * parsers read it; `scheme` the scheme as written (lower-cased).
 */
export type BaseUrlReading =
  | { ok: true; url: string; host: string; lacework: boolean; loopback: boolean }
  | { ok: false; problem: BaseUrlProblem; host?: string; scheme?: string };

/**
 * The base-URL and host rules every lacework-auth runtime follows, as data:
 *
 * - `acme`, `acme.lacework.net`, `https://acme.lacework.net/x` → `https://acme.lacework.net`;
 *   `acme.fra.lacework.net` keeps its region (at most three labels before `.lacework.net`, as
 *   go-sdk `lwdomain/domain.go` reads account domains)
 * - `http:` only for loopback hosts (127.0.0.0/8, ::1, localhost): the secret never travels in
 *   clear text; a loopback host needs its scheme (`localhost` alone is refused)
 * - hosts outside `.lacework.net` only with `allowAnyHost` (loopback ones with `allowLoopback`)
 * - the host must be written as every URL parser reads it (see `readHost`): no user info, no `\`,
 *   no percent-escapes, no IPv4 shorthand, no IDN, ASCII only
 * - a value with the shape of an API secret or key is refused (and never shown)
 */
export function readBaseUrl(
  accountOrUrl: unknown,
  options: Pick<ResolveBaseUrlOptions, 'allowAnyHost' | 'allowLoopback'> = {},
): BaseUrlReading {
  if (typeof accountOrUrl !== 'string') return { ok: false, problem: 'type' };
  const input = accountOrUrl.trim();
  if (input === '') return { ok: false, problem: 'empty' };
  const hasScheme = SCHEME.test(input);
  const authority = input.replace(SCHEME, '').split(/[/?#]/)[0] ?? '';
  if (looksLikeSecret(input) || /(^|[@.:])_[\w-]{11,}/.test(authority)) {
    return { ok: false, problem: 'secret' };
  }
  // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters
  if (/[\u0000-\u0020\u007f]/.test(input)) return { ok: false, problem: 'spaces' };
  // URL parsers map some of them to ASCII (`ａ` → `a`, `。` → `.`), others to punycode that looks
  // like a host it is not.
  if (/[^\x21-\x7e]/.test(input)) return { ok: false, problem: 'non-ascii' };
  if (input.includes('\\')) return { ok: false, problem: 'backslash' };
  if (authority.includes('@')) return { ok: false, problem: 'user-info' };
  const scheme = hasScheme ? (/^[a-z][a-z0-9+.-]*/i.exec(input)?.[0] ?? '').toLowerCase() : 'https';
  if (scheme !== 'https' && scheme !== 'http') return { ok: false, problem: 'scheme', scheme };
  const parts = splitAuthority(authority);
  if (parts === undefined) return { ok: false, problem: 'not-url' };
  const read = readHost(parts.host);
  const portText = readPort(parts.port, scheme);
  if (!read.ok) {
    const problem = read.problem === 'invalid' ? 'not-url' : read.problem;
    return { ok: false, problem };
  }
  if (portText === undefined) return { ok: false, problem: 'not-url' };
  const host = read.host.replace(/\.$/, '');
  const loopback = isLoopbackHost(host);
  if (scheme === 'http' && !loopback) return { ok: false, problem: 'clear-text', host };
  if (loopback && !hasScheme) return { ok: false, problem: 'bare-loopback', host };
  const port = portText === '' ? '' : `:${portText}`;
  if (host.endsWith(LACEWORK_SUFFIX) || (!hasScheme && !host.includes('.') && !loopback)) {
    const sub = host.endsWith(LACEWORK_SUFFIX) ? host.slice(0, -LACEWORK_SUFFIX.length) : host;
    const labels = sub.split('.');
    if (labels.length > MAX_LACEWORK_LABELS) return { ok: false, problem: 'labels', host };
    if (labels.some(isKeyMaterial)) return { ok: false, problem: 'key-label' };
    if (!labels.every((label) => LABEL.test(label))) {
      return { ok: false, problem: 'account-name', host };
    }
    if (scheme === 'http') return { ok: false, problem: 'lacework-http', host };
    const name = `${sub}${LACEWORK_SUFFIX}`;
    return { ok: true, url: `https://${name}${port}`, host: name, lacework: true, loopback: false };
  }
  const allowed = options.allowAnyHost === true || (loopback && options.allowLoopback === true);
  if (!allowed) return { ok: false, problem: 'other-host', host };
  if (host.split('.').some(isKeyMaterial)) return { ok: false, problem: 'key-host' };
  if (!isHostName(host)) return { ok: false, problem: 'host-name', host };
  return { ok: true, url: `${scheme}://${host}${port}`, host, lacework: false, loopback };
}

/**
 * Turns an account name or URL into the API base URL (`https://host[:port]`, no trailing slash),
 * by the rules of {@link readBaseUrl}.
 *
 * - `acme`, `acme.lacework.net`, `https://acme.lacework.net/x` → `https://acme.lacework.net`
 * - `acme.fra.lacework.net` → `https://acme.fra.lacework.net` (region kept)
 * - `http:` only for loopback hosts (127.0.0.0/8, ::1, localhost), and only with `allowAnyHost`
 * - hosts outside `.lacework.net` only with `allowAnyHost`
 *
 * The host must be written as every URL parser reads it, so the result is exactly the host typed:
 * ASCII letters, digits, hyphens and dots (IPv6 in brackets), no user info (`user@`), no `\`, no
 * percent-escapes, no `_`, no IPv4 shorthand (`127.1`) and no IDN (`xn--…` labels included).
 * Error messages quote the value only when it is short and looks like a host name; otherwise
 * they give its length (a secret pasted into the wrong setting is never echoed).
 *
 * @throws {InvalidBaseUrlError} `ERR_LW_INVALID_BASE_URL` with the reason and the fix
 * @example
 * ```ts
 * resolveBaseUrl('acme');                                            // 'https://acme.lacework.net'
 * resolveBaseUrl('http://127.0.0.1:8080', { allowAnyHost: true });   // 'http://127.0.0.1:8080'
 * ```
 */
export function resolveBaseUrl(accountOrUrl: string, options: ResolveBaseUrlOptions = {}): string {
  const reading = readBaseUrl(accountOrUrl, options);
  if (reading.ok) return reading.url;
  throw new InvalidBaseUrlError(baseUrlMessage(accountOrUrl, reading, options));
}

/** The message of {@link resolveBaseUrl} for a value {@link readBaseUrl} refused. */
function baseUrlMessage(
  value: unknown,
  reading: Extract<BaseUrlReading, { ok: false }>,
  options: ResolveBaseUrlOptions,
): string {
  const setting =
    typeof options.setting === 'string' && options.setting !== ''
      ? options.setting
      : 'The Lacework account or base URL';
  const named = `${setting} ${showInput(typeof value === 'string' ? value.trim() : value, SAFE_INPUT.host)}`;
  switch (reading.problem) {
    case 'type':
      return `${setting} must be a string, got ${value === null ? 'null' : typeof value}.`;
    case 'empty':
      return `${setting} is empty. Set \`account\` (e.g. "acme" for acme.lacework.net) or LW_ACCOUNT.`;
    case 'secret':
      // A secret pasted into the wrong setting must not come back in the message (or a log).
      return `${setting} looks like an API secret (it starts with \`_\`), so it is not shown. Set the account to the account name, e.g. \`acme\`, or the base URL to e.g. \`https://acme.lacework.net\`; the secret belongs in \`secret\` / LW_API_SECRET.`;
    case 'spaces':
      return `${named} contains spaces or control characters.`;
    case 'non-ascii':
      return `${named} contains non-ASCII characters. Write the host in ASCII letters, digits, hyphens and dots.`;
    case 'backslash':
      return `${named} contains a backslash, which URL parsers read differently; remove it.`;
    case 'user-info':
      // Not shown: the part before `@` may be the secret.
      return `${setting} contains user info (user:password@ before the host), so it is not shown; remove it.`;
    case 'scheme':
      return `${named} uses the scheme ${showInput(reading.scheme, /^[a-z]{1,10}$/)}; the Lacework API needs https.`;
    case 'rewritten':
      return `${named} has a host written in a form URL parsers rewrite (percent-escapes, IPv4 shorthand, …); write the host name or address in full.`;
    case 'idn':
      return `${named} has an internationalised (xn--) label, which URL parsers decode and may rewrite; Lacework hosts have none. Write the host in ASCII letters, digits and hyphens.`;
    case 'clear-text':
      return `${named} uses http:, which would send the API key in clear text. Use https:// (http: is only allowed for loopback hosts such as 127.0.0.1).`;
    case 'bare-loopback':
      return `${named} is a loopback host without a scheme. Write the scheme too, e.g. "http://127.0.0.1:8080" for a local emulator.`;
    case 'labels':
      return `${named} has too many labels before .lacework.net. Use "account" or "account.region.lacework.net".`;
    case 'key-label':
      return `${setting} has a label with ${MIN_KEY_HEX}+ hexadecimal digits in a row, the shape of an API secret or key, not of an account name, so it is not shown. Set the account to the account name, e.g. \`acme\`.`;
    case 'account-name':
      return `${named} is not a valid Lacework account name (letters, digits and hyphens only).`;
    case 'lacework-http':
      return `${named} uses http:; Lacework needs https://.`;
    case 'other-host':
      return `${named} is not a .lacework.net host. ${options.otherHostHint ?? OTHER_HOST_HINT}`;
    case 'key-host':
      return `${setting} has a host label with ${MIN_KEY_HEX}+ hexadecimal digits in a row, the shape of an API secret or key, so it is not shown. Set the base URL to the API's address, e.g. \`https://acme.lacework.net\`.`;
    case 'host-name':
      return `${named} does not have a valid host name (letters, digits, hyphens and dots; IPv6 in brackets).`;
    default:
      return `${named} is not a Lacework account name or URL. Use "acme", "acme.lacework.net" or "https://acme.lacework.net".`;
  }
}

const OTHER_HOST_HINT =
  'To use another host (a proxy, a local emulator), pass it as `baseUrl` or LW_API_SERVER_URL, not as the account.';

// Lacework secrets are 32 hex digits after `_`, key IDs end in 48; no account name looks so.
const MIN_KEY_HEX = 24;

const KEY_HEX = new RegExp(`[0-9a-f]{${MIN_KEY_HEX},}`, 'i');

/** True for a label with {@link MIN_KEY_HEX}+ hex digits in a row (a secret without its `_`). */
function isKeyMaterial(label: string): boolean {
  return KEY_HEX.test(label);
}

/** A DNS host name of LDH labels, a dotted-quad IPv4 address, or an IPv6 address in brackets. */
function isHostName(host: string): boolean {
  if (host.startsWith('[')) return /^\[[0-9a-f:.]+\]$/.test(host);
  if (/^[\d.]+$/.test(host)) {
    const parts = host.split('.');
    return parts.length === 4 && parts.every((part) => /^\d{1,3}$/.test(part) && +part <= 255);
  }
  return host.length <= 253 && host.split('.').every((label) => LABEL.test(label));
}
