import { InvalidBaseUrlError } from './errors.js';
import { looksLikeSecret } from './redact.js';

/** Options for {@link resolveBaseUrl}. */
export interface ResolveBaseUrlOptions {
  /**
   * Accept hosts outside `.lacework.net` (and loopback `http:`). Only for a base URL the user gave
   * explicitly (`baseUrl` option, `LW_API_SERVER_URL`), never for an account name.
   * @default false
   */
  allowAnyHost?: boolean;
}

const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const LACEWORK_SUFFIX = '.lacework.net';
// account, account.region, account.region.internal — Go's lwdomain rejects more labels.
const MAX_LACEWORK_LABELS = 3;

/**
 * Turns an account name or URL into the API base URL (`https://host[:port]`, no trailing slash).
 *
 * - `acme`, `acme.lacework.net`, `https://acme.lacework.net/x` → `https://acme.lacework.net`
 * - `acme.fra.lacework.net` → `https://acme.fra.lacework.net` (region kept)
 * - `http:` only for loopback hosts (127.0.0.0/8, ::1, localhost), and only with `allowAnyHost`
 * - hosts outside `.lacework.net` only with `allowAnyHost`
 *
 * @throws {InvalidBaseUrlError} `ERR_LW_INVALID_BASE_URL` with the reason and the fix
 * @example
 * ```ts
 * resolveBaseUrl('acme');                                            // 'https://acme.lacework.net'
 * resolveBaseUrl('http://127.0.0.1:8080', { allowAnyHost: true });   // 'http://127.0.0.1:8080'
 * ```
 */
export function resolveBaseUrl(accountOrUrl: string, options: ResolveBaseUrlOptions = {}): string {
  if (typeof accountOrUrl !== 'string') {
    throw new InvalidBaseUrlError(
      `The Lacework account or base URL must be a string, got ${accountOrUrl === null ? 'null' : typeof accountOrUrl}.`,
    );
  }
  const allowAnyHost = options.allowAnyHost === true;
  const input = accountOrUrl.trim();
  const shown = JSON.stringify(input.length > 80 ? `${input.slice(0, 80)}…` : input);
  if (input === '') {
    throw new InvalidBaseUrlError(
      'The Lacework account is empty. Set `account` (e.g. "acme" for acme.lacework.net) or LW_ACCOUNT.',
    );
  }
  // A secret pasted into the wrong setting must not come back in the message (or a log).
  const authority = input.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').split(/[/?#]/)[0] ?? '';
  if (looksLikeSecret(input) || /(^|[@.:])_[\w-]{11,}/.test(authority)) {
    throw new InvalidBaseUrlError(
      'The Lacework account or base URL looks like an API secret (it starts with `_`), so it is not shown. Set the account to the account name, e.g. `acme`, or the base URL to e.g. `https://acme.lacework.net`; the secret belongs in `secret` / LW_API_SECRET.',
    );
  }
  // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters
  if (/[\u0000-\u0020\u007f]/.test(input)) {
    throw new InvalidBaseUrlError(
      `The Lacework account or URL ${shown} contains spaces or control characters.`,
    );
  }
  const hasScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(input);
  let url: URL;
  try {
    url = new URL(hasScheme ? input : `https://${input}`);
  } catch {
    throw new InvalidBaseUrlError(
      `${shown} is not a Lacework account name or URL. Use "acme", "acme.lacework.net" or "https://acme.lacework.net".`,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new InvalidBaseUrlError(
      `${shown} uses ${url.protocol.slice(0, -1)}; the Lacework API needs https.`,
    );
  }
  if (url.username || url.password) {
    // Not shown: the password part may be the secret.
    throw new InvalidBaseUrlError(
      'The Lacework base URL contains user info (user:password@), so it is not shown; remove it.',
    );
  }
  const host = url.hostname.replace(/\.$/, '');
  const loopback = isLoopbackHost(host);
  if (url.protocol === 'http:' && !loopback) {
    throw new InvalidBaseUrlError(
      `${shown} uses http:, which would send the API key in clear text. Use https:// (http: is only allowed for loopback hosts such as 127.0.0.1).`,
    );
  }
  if (host.endsWith(LACEWORK_SUFFIX) || (!hasScheme && !host.includes('.') && !loopback)) {
    const sub = host.endsWith(LACEWORK_SUFFIX) ? host.slice(0, -LACEWORK_SUFFIX.length) : host;
    const labels = sub.split('.');
    if (labels.length > MAX_LACEWORK_LABELS) {
      throw new InvalidBaseUrlError(
        `${shown} has too many labels before .lacework.net. Use "account" or "account.region.lacework.net".`,
      );
    }
    if (!labels.every((label) => LABEL.test(label))) {
      throw new InvalidBaseUrlError(
        `${shown} is not a valid Lacework account name (letters, digits and hyphens only).`,
      );
    }
    if (url.protocol === 'http:') {
      throw new InvalidBaseUrlError(`${shown} uses http:; Lacework needs https://.`);
    }
    return `https://${sub}${LACEWORK_SUFFIX}${url.port ? `:${url.port}` : ''}`;
  }
  if (!allowAnyHost) {
    throw new InvalidBaseUrlError(
      `${shown} is not a .lacework.net host. To use another host (a proxy, a local emulator), pass it as \`baseUrl\` or LW_API_SERVER_URL, not as the account.`,
    );
  }
  return url.origin;
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
