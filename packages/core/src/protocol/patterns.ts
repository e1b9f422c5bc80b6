// The base-URL and token rules as RE2-compatible regular expressions, for runtimes that can only
// match patterns: the cdktf construct's plan-time checks are Terraform expressions built from these
// (`regex()` is RE2). Written without backslashes, so they survive JSON and HCL escaping. They
// accept a subset of what readBaseUrl accepts (test/patterns.property.test.ts checks that every
// value they accept resolves to the same URL by readBaseUrl; the conformance table checks both).

const LABEL = '[a-z0-9]([a-z0-9-]*[a-z0-9])?';
// A host's last label holds a letter: one of digits only would be read as an IPv4 number.
const LAST = '[a-z0-9]*[a-z]([a-z0-9-]*[a-z0-9])?';
const PORT = '(:[1-9][0-9]{0,4})?';
// What may follow the host: printable ASCII but the backslash and `]` (readBaseUrl refuses
// backslashes, spaces and control characters anywhere; leaving `]` out keeps the class simple).
const REST = '([/?#][!-[^-~]*)?';
const OCTET = '(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])';

/** The rules, as patterns over a value that is already trimmed and lower-cased. */
export const PATTERNS = {
  /**
   * An account: a bare name (`acme`), or a host under `.lacework.net` with one to three labels
   * before it, with or without `https://`, a port and a path.
   */
  account: `^(${LAST}|(https://)?${LABEL}([.]${LABEL}){0,2}[.]lacework[.]net[.]?${PORT}${REST})$`,
  /**
   * A base URL: https to a host name of letters, digits and hyphens, or http to localhost or
   * 127.0.0.0/8 (IP literals otherwise, IPv6 included, are left to the literal path, core itself).
   */
  baseUrl: `^(https://(${LABEL}[.])*${LAST}[.]?${PORT}${REST}|http://(localhost|127([.]${OCTET}){3})${PORT}${REST})$`,
  /** `localhost` alone: a loopback host without a scheme, never an account (refused). */
  bareLoopback: '^localhost$',
  /** A last label in the `0x…` form, which URL parsers read as a number (refused). */
  hexNumberLabel: '(^|[.]|//)0x[0-9a-f]*[.]?([:/?#]|$)',
  /** A host with more labels before `.lacework.net` than an account has (refused). */
  tooManyLaceworkLabels: '^(https?://)?([^./?#:]+[.]){4,}lacework[.]net[.]?([:/?#]|$)',
  /** An internationalised label (refused: parsers decode and may rewrite it). */
  idnLabel: '(^|[.]|//)xn--',
  /** 24+ hexadecimal digits in a row: the shape of a secret or key, never of a host (refused). */
  keyMaterial: '[0-9a-f]{24}',
  /** An RFC 6750 bearer token (`b64token`). */
  bearerToken: '^[-A-Za-z0-9._~+/]+=*$',
} as const;

/** Longest bearer token accepted, in characters (Lacework's are a few hundred). */
export const MAX_TOKEN_LENGTH = 8192;
