import { InvalidBaseUrlError } from './errors.js';
import { looksLikeSecret, SAFE_INPUT, showInput } from './redact.js';

/** Options for {@link resolveBaseUrl}. */
export interface ResolveBaseUrlOptions {
  /**
   * Accept hosts outside `.lacework.net` (and loopback `http:`). Only for a base URL the user gave
   * explicitly (`baseUrl` option, `LW_API_SERVER_URL`), never for an account name.
   * @default false
   */
  allowAnyHost?: boolean;
  /**
   * The setting the value came from, as error messages name it, e.g. `` `account` `` or
   * `LW_API_SERVER_URL`.
   * @default 'The Lacework account or base URL'
   */
  setting?: string;
}

const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const LACEWORK_SUFFIX = '.lacework.net';
// account, account.region, account.region.internal — Go's lwdomain rejects more labels.
const MAX_LACEWORK_LABELS = 3;
const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;

/**
 * Turns an account name or URL into the API base URL (`https://host[:port]`, no trailing slash).
 *
 * - `acme`, `acme.lacework.net`, `https://acme.lacework.net/x` → `https://acme.lacework.net`
 * - `acme.fra.lacework.net` → `https://acme.fra.lacework.net` (region kept)
 * - `http:` only for loopback hosts (127.0.0.0/8, ::1, localhost), and only with `allowAnyHost`
 * - hosts outside `.lacework.net` only with `allowAnyHost`
 *
 * The host must be written as every URL parser reads it, so the result is exactly the host typed:
 * ASCII letters, digits, hyphens and dots (IPv6 in brackets), no user info (`user@`), no `\`, no
 * percent-escapes, no `_`, no IPv4 shorthand (`127.1`) and no IDN (write `xn--…`).
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
  const setting =
    typeof options.setting === 'string' && options.setting !== ''
      ? options.setting
      : 'The Lacework account or base URL';
  if (typeof accountOrUrl !== 'string') {
    throw new InvalidBaseUrlError(
      `${setting} must be a string, got ${accountOrUrl === null ? 'null' : typeof accountOrUrl}.`,
    );
  }
  const allowAnyHost = options.allowAnyHost === true;
  const input = accountOrUrl.trim();
  if (input === '') {
    throw new InvalidBaseUrlError(
      `${setting} is empty. Set \`account\` (e.g. "acme" for acme.lacework.net) or LW_ACCOUNT.`,
    );
  }
  const fail = (problem: string) =>
    new InvalidBaseUrlError(`${setting} ${showInput(input, SAFE_INPUT.host)} ${problem}`);
  const hasScheme = SCHEME.test(input);
  const authority = input.replace(SCHEME, '').split(/[/?#]/)[0] ?? '';
  // A secret pasted into the wrong setting must not come back in the message (or a log).
  if (looksLikeSecret(input) || /(^|[@.:])_[\w-]{11,}/.test(authority)) {
    throw new InvalidBaseUrlError(
      `${setting} looks like an API secret (it starts with \`_\`), so it is not shown. Set the account to the account name, e.g. \`acme\`, or the base URL to e.g. \`https://acme.lacework.net\`; the secret belongs in \`secret\` / LW_API_SECRET.`,
    );
  }
  // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters
  if (/[\u0000-\u0020\u007f]/.test(input)) {
    return throwing(fail('contains spaces or control characters.'));
  }
  if (/[^\x21-\x7e]/.test(input)) {
    // URL parsers map some of them to ASCII (`ａ` → `a`, `。` → `.`), others to punycode that
    // looks like a host it is not.
    return throwing(
      fail('contains non-ASCII characters. Write the host in ASCII (an IDN as xn--…).'),
    );
  }
  if (input.includes('\\')) {
    return throwing(fail('contains a backslash, which URL parsers read differently; remove it.'));
  }
  if (authority.includes('@')) {
    // Not shown: the part before `@` may be the secret.
    throw new InvalidBaseUrlError(
      `${setting} contains user info (user:password@ before the host), so it is not shown; remove it.`,
    );
  }
  let url: URL;
  try {
    url = new URL(hasScheme ? input : `https://${input}`);
  } catch {
    return throwing(
      fail(
        'is not a Lacework account name or URL. Use "acme", "acme.lacework.net" or "https://acme.lacework.net".',
      ),
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    const scheme = showInput(url.protocol.slice(0, -1), /^[a-z]{1,10}$/);
    return throwing(fail(`uses the scheme ${scheme}; the Lacework API needs https.`));
  }
  const typedHost = typedHostOf(authority);
  const host = url.hostname.replace(/\.$/, '');
  if (typedHost !== host) {
    return throwing(
      fail(
        'has a host written in a form URL parsers rewrite (percent-escapes, IPv4 shorthand, …); write the host name or address in full.',
      ),
    );
  }
  const loopback = isLoopbackHost(host);
  if (url.protocol === 'http:' && !loopback) {
    return throwing(
      fail(
        'uses http:, which would send the API key in clear text. Use https:// (http: is only allowed for loopback hosts such as 127.0.0.1).',
      ),
    );
  }
  const port = url.port ? `:${url.port}` : '';
  if (host.endsWith(LACEWORK_SUFFIX) || (!hasScheme && !host.includes('.') && !loopback)) {
    const sub = host.endsWith(LACEWORK_SUFFIX) ? host.slice(0, -LACEWORK_SUFFIX.length) : host;
    const labels = sub.split('.');
    if (labels.length > MAX_LACEWORK_LABELS) {
      return throwing(
        fail(
          'has too many labels before .lacework.net. Use "account" or "account.region.lacework.net".',
        ),
      );
    }
    if (labels.some(isKeyMaterial)) {
      throw new InvalidBaseUrlError(
        `${setting} has a label with ${MIN_KEY_HEX}+ hexadecimal digits in a row, the shape of an API secret or key, not of an account name, so it is not shown. Set the account to the account name, e.g. \`acme\`.`,
      );
    }
    if (!labels.every((label) => LABEL.test(label) && !label.startsWith('xn--'))) {
      return throwing(
        fail('is not a valid Lacework account name (letters, digits and hyphens only).'),
      );
    }
    if (url.protocol === 'http:') return throwing(fail('uses http:; Lacework needs https://.'));
    return `https://${sub}${LACEWORK_SUFFIX}${port}`;
  }
  if (!allowAnyHost) {
    return throwing(
      fail(
        'is not a .lacework.net host. To use another host (a proxy, a local emulator), pass it as `baseUrl` or LW_API_SERVER_URL, not as the account.',
      ),
    );
  }
  if (host.split('.').some(isKeyMaterial)) {
    throw new InvalidBaseUrlError(
      `${setting} has a host label with ${MIN_KEY_HEX}+ hexadecimal digits in a row, the shape of an API secret or key, so it is not shown. Set the base URL to the API's address, e.g. \`https://acme.lacework.net\`.`,
    );
  }
  if (!isHostName(host)) {
    return throwing(
      fail(
        'does not have a valid host name (letters, digits, hyphens and dots; IPv6 in brackets).',
      ),
    );
  }
  return `${url.protocol}//${host}${port}`;
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

// Lacework secrets are 32 hex digits after `_`, key IDs end in 48; no account name looks so.
const MIN_KEY_HEX = 24;

const KEY_HEX = new RegExp(`[0-9a-f]{${MIN_KEY_HEX},}`, 'i');

/** True for a label with {@link MIN_KEY_HEX}+ hex digits in a row (a secret without its `_`). */
function isKeyMaterial(label: string): boolean {
  return KEY_HEX.test(label);
}

function throwing(error: Error): never {
  throw error;
}

/** The host as typed in `authority` (`host[:port]`), lower-cased, without one trailing dot. */
function typedHostOf(authority: string): string {
  const host = authority.startsWith('[')
    ? authority.slice(0, authority.indexOf(']') + 1)
    : authority.replace(/:[^:]*$/, '');
  return host.toLowerCase().replace(/\.$/, '');
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
