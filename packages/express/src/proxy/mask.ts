const STAR = 0x2a; // '*'
const PERCENT = 0x25;
const BACKSLASH = 0x5c;
const LOWER_U = 0x75;

/** Shortest run of the token's characters that counts as a leak in a header. */
export const MIN_LEAKED_RUN = 16;

const lower = (code: number) => (code >= 0x41 && code <= 0x5a ? code + 0x20 : code);

function hexValue(code: number | undefined): number {
  if (code === undefined) return -1;
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  const c = lower(code);
  return c >= 0x61 && c <= 0x66 ? c - 0x61 + 10 : -1;
}

function hexAt(buf: Uint8Array, at: number, digits: number): number {
  let value = 0;
  for (let i = 0; i < digits; i++) {
    const digit = hexValue(buf[at + i]);
    if (digit === -1) return -1;
    value = value * 16 + digit;
  }
  return value;
}

/**
 * The part of the base64 encoding of `bytes` that depends on them alone, whatever bytes come
 * before (`offset` of them) or after: what a base64 text carrying the token always contains.
 */
function base64Core(bytes: Buffer, offset: number): string {
  const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64');
  return encoded.slice(Math.ceil((offset * 8) / 6), Math.floor(((offset + bytes.length) * 8) / 6));
}

/**
 * Recognises a bearer token in the forms a response could carry it in, and masks it. A match is
 * the token's characters in order, each one spelled as itself in either case, as a JSON escape
 * (`\u0061`, `\/`, `\\`, `\"`) or as a percent escape (`%61`); or the base64/base64url encoding of
 * the token (in its own, upper or lower case) at any alignment. Everything else is not
 * recognised: other encodings (hex, HTML entities, compression inside the body), the token cut
 * into pieces in a body, or transformed in any other way.
 */
export class TokenMask {
  /** The longest span a match can cover: a caller scanning a stream keeps this much minus 1. */
  readonly maxSpan: number;
  private readonly chars: Uint8Array;
  private readonly starts = new Uint8Array(256);
  private readonly encoded: Buffer[];
  private readonly runs: Set<string>;
  /** Every pair of adjacent characters in {@link runs}, as `first * 0x10000 + second`. */
  private readonly pairs = new Set<number>();
  private readonly runLength: number;

  constructor(token: string) {
    const ascii = Buffer.from(token.toLowerCase(), 'latin1');
    this.chars = new Uint8Array(ascii.map(lower));
    const first = this.chars[0] ?? 0;
    this.starts[first] = 1;
    this.starts[first >= 0x61 && first <= 0x7a ? first - 0x20 : first] = 1;
    this.starts[PERCENT] = 1;
    this.starts[BACKSLASH] = 1;
    const cores = new Set<string>();
    for (const variant of new Set([token, token.toLowerCase(), token.toUpperCase()])) {
      for (const offset of [0, 1, 2]) {
        const core = base64Core(Buffer.from(variant, 'utf8'), offset);
        if (core.length === 0) continue;
        cores.add(core);
        cores.add(core.replaceAll('+', '-').replaceAll('/', '_'));
      }
    }
    this.encoded = [...cores].map((core) => Buffer.from(core, 'latin1'));
    this.maxSpan = Math.max(6 * token.length, ...this.encoded.map((b) => b.length));
    this.runLength = Math.min(MIN_LEAKED_RUN, token.length);
    this.runs = new Set();
    for (const text of [token.toLowerCase(), ...cores]) {
      for (let i = 0; i + this.runLength <= text.length; i++) {
        this.runs.add(text.slice(i, i + this.runLength));
      }
      for (let i = 1; i < text.length; i++) {
        this.pairs.add(text.charCodeAt(i - 1) * 0x10000 + text.charCodeAt(i));
      }
    }
  }

  /** End of a spelled-out token starting at `at`, or -1. */
  private matchAt(buf: Uint8Array, at: number): number {
    let p = at;
    for (const want of this.chars) {
      const c = buf[p];
      if (c === undefined) return -1;
      if (lower(c) === want) {
        p += 1;
      } else if (c === PERCENT && lower(hexAt(buf, p + 1, 2)) === want) {
        p += 3;
      } else if (
        c === BACKSLASH &&
        buf[p + 1] === LOWER_U &&
        lower(hexAt(buf, p + 2, 4)) === want
      ) {
        p += 6;
      } else if (
        c === BACKSLASH &&
        buf[p + 1] === want &&
        '/\\"'.includes(String.fromCharCode(want))
      ) {
        p += 2;
      } else {
        return -1;
      }
    }
    return p;
  }

  /**
   * Overwrites every recognised occurrence of the token in `buf` with `*`, in place. The length
   * never changes, so the framing of what is relayed holds.
   */
  maskInPlace(buf: Buffer): void {
    if (this.chars.length === 0) return;
    for (let i = 0; i < buf.length; i++) {
      if (this.starts[buf[i] as number] === 0) continue;
      const end = this.matchAt(buf, i);
      if (end === -1) continue;
      buf.fill(STAR, i, end);
      i = end - 1;
    }
    for (const needle of this.encoded) {
      let at = buf.indexOf(needle);
      while (at !== -1) {
        buf.fill(STAR, at, at + needle.length);
        at = buf.indexOf(needle, at + needle.length);
      }
    }
  }

  /**
   * True when `text` carries a run of at least {@link MIN_LEAKED_RUN} of the token's characters
   * (in any case, plain or JSON/percent-escaped) or of its base64 form, which covers the whole
   * token in every form {@link maskInPlace} knows and catches a token split over several headers,
   * each carrying a part.
   */
  leaksInto(text: string): boolean {
    if (this.chars.length === 0 || text.length < this.runLength) return false;
    const plain = /[%\\]/.test(text) ? decodeEscapes(text) : text;
    return this.hasRun(plain) || this.hasRun(plain.toLowerCase());
  }

  /** Scans for a known run, checking whole windows only after a streak of known pairs. */
  private hasRun(text: string): boolean {
    if (this.runLength < 2) return [...this.runs].some((run) => text.includes(run));
    let streak = 0;
    for (let i = 1; i < text.length; i++) {
      if (!this.pairs.has(text.charCodeAt(i - 1) * 0x10000 + text.charCodeAt(i))) {
        streak = 0;
        continue;
      }
      streak++;
      if (streak >= this.runLength - 1) {
        if (this.runs.has(text.slice(i + 1 - this.runLength, i + 1))) return true;
      }
    }
    return false;
  }
}

/** `text` with JSON (`\u0061`, `\/`) and percent (`%61`) escapes decoded. */
function decodeEscapes(text: string): string {
  const char = (hex: string) => String.fromCharCode(Number.parseInt(hex, 16));
  return text
    .replace(/\\u([0-9a-fA-F]{4})/g, (_, hex: string) => char(hex))
    .replace(/%([0-9a-fA-F]{2})/g, (_, hex: string) => char(hex))
    .replace(/\\([/\\"])/g, '$1');
}

let cached: { token: string; mask: TokenMask } | undefined;

/** The {@link TokenMask} for `token`, built once per token (tokens change a few times a day). */
export function tokenMask(token: string): TokenMask {
  if (cached?.token !== token) cached = { token, mask: new TokenMask(token) };
  return cached.mask;
}
