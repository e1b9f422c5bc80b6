const STAR = 0x2a; // '*'
const PERCENT = 0x25;
const BACKSLASH = 0x5c;
const AMPERSAND = 0x26;
const HASH = 0x23;
const SEMICOLON = 0x3b;
const LOWER_U = 0x75;
const LOWER_X = 0x78;
const NUL = 0x00;

/** Shortest run of the token's characters that counts as a leak in a header. */
export const MIN_LEAKED_RUN = 16;

/**
 * Escaping the escape itself, as text encoded twice or three times has it: at most this many
 * backslashes before a JSON escape (`\\u0061`, `\\/`), or `%25`s before a percent escape
 * (`%2561`).
 */
const MAX_BACKSLASHES = 4;
const MAX_PERCENT_LAYERS = 3;
/** Digits of an HTML numeric character reference (`&#0095;`, `&#x5F;`), leading zeros included. */
const MAX_DECIMAL_DIGITS = 7;
const MAX_HEX_DIGITS = 6;
/**
 * The longest spelling of one character, in bytes: an HTML reference of 10 characters
 * (`&#x00005f;`), each with a NUL beside it in UTF-16.
 */
export const MAX_BYTES_PER_CHAR = 20;

const lower = (code: number) => (code >= 0x41 && code <= 0x5a ? code + 0x20 : code);
/** {@link lower} for every byte. */
const LOWER = Uint8Array.from({ length: 256 }, (_, code) => lower(code));

function hexValue(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  const c = lower(code);
  return c >= 0x61 && c <= 0x66 ? c - 0x61 + 10 : -1;
}

/**
 * Reads text one ASCII character at a time, whether it is one byte per character or UTF-16
 * (little- or big-endian: a NUL before or after each character, which is skipped).
 */
class Cursor {
  private buf: Uint8Array = new Uint8Array(0);
  pos = 0;

  /** Starts reading `buf` at `at`. */
  reset(buf: Uint8Array, at: number): this {
    this.buf = buf;
    this.pos = at;
    return this;
  }

  /** The next character, or -1 at the end. */
  next(): number {
    let p = this.pos;
    if (this.buf[p] === NUL) p++;
    const code = this.buf[p];
    if (code === undefined) return -1;
    this.pos = p + 1;
    return code;
  }

  /** The next `digits` characters as a hexadecimal number, or -1. */
  hex(digits: number): number {
    let value = 0;
    for (let i = 0; i < digits; i++) {
      const digit = hexValue(this.next());
      if (digit === -1) return -1;
      value = value * 16 + digit;
    }
    return value;
  }

  /** Like {@link hex}, but leaves the position unchanged when the characters are not hex. */
  tryHex(digits: number): number {
    const start = this.pos;
    const value = this.hex(digits);
    if (value === -1) this.pos = start;
    return value;
  }

  /**
   * The character an escape starting with `first` stands for (the cursor just past the escape),
   * or -1: JSON `\u0061`, `\/`, `\\`, `\"` with the backslash itself escaped up to
   * {@link MAX_BACKSLASHES} times, percent `%61` with the `%` itself escaped up to
   * {@link MAX_PERCENT_LAYERS} times (`%2561`), or an HTML numeric reference (`&#97;`, `&#x61;`).
   * `want` settles which reading is meant where two are possible (`%25` is `%` or an escaped `%`).
   */
  escaped(first: number, want: number): number {
    if (first === BACKSLASH) {
      let c = this.next();
      // `\\` is an escaped backslash; one that is wanted ends here.
      if (c === BACKSLASH && want === BACKSLASH) return BACKSLASH;
      for (let run = 1; c === BACKSLASH && run < MAX_BACKSLASHES; run++) c = this.next();
      if (c === LOWER_U) return this.hex(4);
      return c === 0x2f || c === 0x22 || c === BACKSLASH ? c : -1;
    }
    if (first === PERCENT) {
      let value = this.hex(2);
      for (
        let layer = 0;
        value === PERCENT && want !== PERCENT && layer < MAX_PERCENT_LAYERS;
        layer++
      ) {
        const inner = this.tryHex(2);
        if (inner === -1) break;
        value = inner;
      }
      return value;
    }
    if (first === AMPERSAND) {
      if (this.next() !== HASH) return -1;
      const start = this.pos;
      const base = lower(this.next()) === LOWER_X ? 16 : 10;
      if (base === 10) this.pos = start;
      const max = base === 16 ? MAX_HEX_DIGITS : MAX_DECIMAL_DIGITS;
      let value = 0;
      for (let digits = 0; ; digits++) {
        const c = this.next();
        if (c === SEMICOLON && digits > 0) return value;
        const digit = base === 16 ? hexValue(c) : c >= 0x30 && c <= 0x39 ? c - 0x30 : -1;
        if (digit === -1 || digits === max) return -1;
        value = value * base + digit;
      }
    }
    return -1;
  }
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
 * (`\u0061`, `\/`, `\\`, `\"`), a percent escape (`%61`) or an HTML numeric reference (`&#97;`,
 * `&#x61;`), also escaped twice or more (`\\u0061`, `%2561`; see {@link Cursor.escaped}), in
 * one byte per character or in UTF-16 (either byte order); or the base64/base64url encoding of the
 * token (in its own, upper or lower case) at any alignment. Everything else is not recognised:
 * other encodings (hex, named HTML entities, base64 of the UTF-16 text, compression inside the
 * body), or transformed in any other way. In bodies, any run of {@link MIN_LEAKED_RUN} of its
 * characters written plainly (in any case) is masked too, so a token cut into pieces does not get
 * through piece by piece; shorter pieces, and pieces in escaped or encoded forms, do.
 */
export class TokenMask {
  /** The longest span a match can cover: a caller scanning a stream keeps this much minus 1. */
  readonly maxSpan: number;
  private readonly chars: Uint8Array;
  private readonly cursor = new Cursor();
  private readonly starts = new Uint8Array(256);
  private readonly encoded: Buffer[];
  private readonly runs: Set<string>;
  /** Every pair of adjacent characters in {@link runs}, as `first * 0x10000 + second`. */
  private readonly pairs = new Set<number>();
  private readonly runLength: number;
  /** Runs of {@link runLength} characters of the lower-cased token, for bodies. */
  private readonly plainRuns = new Set<string>();
  /** Every pair of adjacent bytes of the lower-cased token, as `first << 8 | second`. */
  private readonly plainPairs = new Uint8Array(0x10000);

  constructor(token: string) {
    const ascii = Buffer.from(token.toLowerCase(), 'latin1');
    this.chars = new Uint8Array(ascii.map(lower));
    const first = this.chars[0] ?? 0;
    this.starts[first] = 1;
    this.starts[first >= 0x61 && first <= 0x7a ? first - 0x20 : first] = 1;
    this.starts[PERCENT] = 1;
    this.starts[BACKSLASH] = 1;
    this.starts[AMPERSAND] = 1;
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
    this.maxSpan = Math.max(
      MAX_BYTES_PER_CHAR * token.length,
      ...this.encoded.map((b) => b.length),
    );
    this.runLength = Math.min(MIN_LEAKED_RUN, token.length);
    for (let i = 0; i + this.runLength <= this.chars.length; i++) {
      this.plainRuns.add(
        Buffer.from(this.chars.subarray(i, i + this.runLength)).toString('latin1'),
      );
    }
    for (let i = 1; i < this.chars.length; i++) {
      this.plainPairs[((this.chars[i - 1] as number) << 8) | (this.chars[i] as number)] = 1;
    }
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
    const cursor = this.cursor.reset(buf, at);
    for (const want of this.chars) {
      const c = cursor.next();
      if (c === -1) return -1;
      if (lower(c) === want) continue;
      if (lower(cursor.escaped(c, want)) !== want) return -1;
    }
    return cursor.pos;
  }

  /**
   * Overwrites every recognised occurrence of the token in `buf` with `*`, in place (the NULs of
   * UTF-16 text are kept). The length never changes, so the framing of what is relayed holds.
   */
  maskInPlace(buf: Buffer): void {
    if (this.chars.length === 0) return;
    for (let i = 0; i < buf.length; i++) {
      if (this.starts[buf[i] as number] === 0) continue;
      const end = this.matchAt(buf, i);
      if (end === -1) continue;
      // NULs are kept, so UTF-16 text stays UTF-16 (and shows `*`s).
      for (let k = i; k < end; k++) if (buf[k] !== NUL) buf[k] = STAR;
      i = end - 1;
    }
    for (const needle of this.encoded) {
      let at = buf.indexOf(needle);
      while (at !== -1) {
        buf.fill(STAR, at, at + needle.length);
        at = buf.indexOf(needle, at + needle.length);
      }
    }
    this.maskRuns(buf);
  }

  /**
   * Masks every run of at least {@link MIN_LEAKED_RUN} consecutive characters of the token (any
   * case) written plainly: a token cut into pieces (`"a":"<first half>","b":"<second half>"`),
   * cut short, or with something inserted, leaves no piece that long.
   */
  private maskRuns(buf: Buffer): void {
    const n = this.runLength;
    if (n < 2) return;
    const pairs = this.plainPairs;
    // Whether the bytes at `k - 1` and `k` are adjacent in the token.
    const known = (k: number) =>
      pairs[
        ((LOWER[buf[k - 1] as number] as number) << 8) | (LOWER[buf[k] as number] as number)
      ] === 1;
    const ranges: number[] = [];
    let scanned = 0;
    // Every run of n bytes holds exactly one position p ≡ n - 1 (mod n): look only around those,
    // at the stretch of adjacent token characters that holds p, and check its windows.
    for (let p = n - 1; p < buf.length; p += n) {
      if (p < scanned) continue;
      let low = p;
      while (low > 0 && known(low)) low--;
      let high = p;
      while (high + 1 < buf.length && known(high + 1)) high++;
      scanned = high + 1;
      if (high - low + 1 < n) continue;
      for (let start = low; start + n <= high + 1; start++) {
        if (!this.plainRuns.has(buf.toString('latin1', start, start + n).toLowerCase())) continue;
        // Overlapping windows of one piece make one range.
        if (ranges.length > 0 && start <= (ranges[ranges.length - 1] as number)) {
          ranges[ranges.length - 1] = start + n;
        } else {
          ranges.push(start, start + n);
        }
      }
    }
    for (let r = 0; r < ranges.length; r += 2) buf.fill(STAR, ranges[r], ranges[r + 1]);
  }

  /**
   * True when `text` carries a run of at least {@link MIN_LEAKED_RUN} of the token's characters
   * (in any case, plain or JSON/percent-escaped) or of its base64 form, which covers the whole
   * token in every form {@link maskInPlace} knows and catches a token split over several headers,
   * each carrying a part.
   */
  leaksInto(text: string): boolean {
    if (this.chars.length === 0 || text.length < this.runLength) return false;
    const plain = /[%\\&]/.test(text) ? decodeEscapes(text) : text;
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

/**
 * `text` with JSON (`\u0061`, `\/`), percent (`%61`) and HTML numeric (`&#97;`, `&#x61;`) escapes
 * decoded, as often as it takes (at most 4 rounds) for text escaped twice or more.
 */
function decodeEscapes(text: string): string {
  const char = (code: number) => (code <= 0x10ffff ? String.fromCodePoint(code) : '');
  let decoded = text;
  for (let round = 0; round < 4; round++) {
    const next = decoded
      // One pass, left to right, like a JSON parser: `\\u0061` (an escaped backslash, then
      // `u0061`) becomes `\u0061`, not `\a`.
      .replace(/\\(?:u([0-9a-fA-F]{4})|([/\\"]))/g, (_, hex?: string, plain?: string) =>
        hex === undefined ? (plain as string) : char(Number.parseInt(hex, 16)),
      )
      .replace(/%([0-9a-fA-F]{2})/g, (_, hex: string) => char(Number.parseInt(hex, 16)))
      .replace(/&#(?:[xX]([0-9a-fA-F]{1,6})|([0-9]{1,7}));/g, (_, hex?: string, dec?: string) =>
        char(hex === undefined ? Number(dec) : Number.parseInt(hex, 16)),
      );
    if (next === decoded) break;
    decoded = next;
  }
  return decoded;
}

let cached: { token: string; mask: TokenMask } | undefined;

/** The {@link TokenMask} for `token`, built once per token (tokens change a few times a day). */
export function tokenMask(token: string): TokenMask {
  if (cached?.token !== token) cached = { token, mask: new TokenMask(token) };
  return cached.mask;
}
