import { describeValue, type EmulatorKey, type EmulatorKeyInput, normalizeKeys } from './keys.js';
import { InvalidOptionError } from './option-error.js';
import type { RateLimitOptions } from './rate-limit.js';
import type { RequestLogEntry } from './stats.js';

/** Rows per page in Lacework's paged answers (go-sdk `api/v2_test.go`: `"rows": 5000`). */
export const DEFAULT_PAGE_SIZE = 5000;

/** Options of `startEmulator()`. All optional. */
export interface EmulatorOptions {
  /** Port to listen on; 0 picks a free one. @default 0 */
  port?: number;
  /** Interface to listen on. @default '127.0.0.1' */
  host?: string;
  /** Keys the token endpoint accepts; missing fields are generated. @default one generated key */
  keys?: EmulatorKeyInput[];
  /**
   * Requests allowed per key (token endpoint included) per window, or `false` for no limit and
   * no `RateLimit-*` headers. @default { limit: 480, windowMs: 3600000 }
   */
  rateLimit?: RateLimitOptions | false;
  /**
   * Also send `Retry-After` (seconds) on 429. Lacework was not seen to send it, so it is off.
   * @default false
   */
  retryAfter?: boolean;
  /**
   * Status of a successful exchange. Lacework was seen answering 201 and its API conventions say
   * "200 or 201"; set 200 to check that a client accepts both. @default 201
   */
  tokenStatus?: number;
  /**
   * Accept a bare token (`Authorization: <token>`, no `Bearer `) on API routes, as Lacework does:
   * the Go SDK, the Lacework CLI and the Terraform provider send it that way. `false` is a strict
   * mode for tests that prove a client sends `Bearer `: a bare token then gets 401 `{"message"}`.
   * @default true
   */
  bareTokens?: boolean;
  /**
   * Rows per page of paged answers (`Alerts`, `Alerts/search`); more rows come with
   * `paging.urls.nextPage`. Lacework pages 5000 rows; tests use a small size to see several pages.
   * @default 5000
   */
  pageSize?: number;
  /** Called after every request with its (redacted) log entry; the CLI prints these. */
  onRequest?: (entry: RequestLogEntry) => void;
}

/** Options after validation, every field present. */
export interface NormalizedOptions {
  port: number;
  host: string;
  keys: EmulatorKey[];
  rateLimit: { limit: number; windowMs: number } | false;
  retryAfter: boolean;
  tokenStatus: number;
  bareTokens: boolean;
  pageSize: number;
  onRequest: ((entry: RequestLogEntry) => void) | undefined;
}

const KNOWN = [
  'port',
  'host',
  'keys',
  'rateLimit',
  'retryAfter',
  'tokenStatus',
  'bareTokens',
  'pageSize',
  'onRequest',
];

/** Validates options once, with messages naming the option. */
export function normalizeOptions(options: unknown = {}): NormalizedOptions {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new InvalidOptionError(
      undefined,
      `Emulator options must be an object, got ${describeValue(options)}.`,
    );
  }
  for (const name of Object.keys(options)) {
    if (!KNOWN.includes(name)) {
      throw new InvalidOptionError(
        name,
        `Unknown emulator option \`${name}\`; known options: ${KNOWN.join(', ')}.`,
      );
    }
  }
  const o = options as EmulatorOptions;
  const port = o.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new InvalidOptionError(
      'port',
      `\`port\` must be an integer from 0 to 65535, got ${describeValue(o.port)}.`,
    );
  }
  const host = o.host ?? '127.0.0.1';
  if (typeof host !== 'string' || host === '') {
    throw new InvalidOptionError(
      'host',
      `\`host\` must be a non-empty string, got ${describeValue(o.host)}.`,
    );
  }
  if (o.retryAfter !== undefined && typeof o.retryAfter !== 'boolean') {
    throw new InvalidOptionError(
      'retryAfter',
      `\`retryAfter\` must be a boolean, got ${describeValue(o.retryAfter)}.`,
    );
  }
  if (o.bareTokens !== undefined && typeof o.bareTokens !== 'boolean') {
    throw new InvalidOptionError(
      'bareTokens',
      `\`bareTokens\` must be a boolean, got ${describeValue(o.bareTokens)}.`,
    );
  }
  const pageSize = o.pageSize ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > DEFAULT_PAGE_SIZE) {
    throw new InvalidOptionError(
      'pageSize',
      `\`pageSize\` must be an integer from 1 to ${DEFAULT_PAGE_SIZE}, got ${describeValue(o.pageSize)}.`,
    );
  }
  const tokenStatus = o.tokenStatus ?? 201;
  if (tokenStatus !== 200 && tokenStatus !== 201) {
    throw new InvalidOptionError(
      'tokenStatus',
      `\`tokenStatus\` must be 200 or 201, got ${describeValue(o.tokenStatus)}.`,
    );
  }
  if (o.onRequest !== undefined && typeof o.onRequest !== 'function') {
    throw new InvalidOptionError(
      'onRequest',
      `\`onRequest\` must be a function, got ${describeValue(o.onRequest)}.`,
    );
  }
  return {
    port,
    host,
    keys: normalizeKeys(o.keys),
    rateLimit: normalizeRateLimit(o.rateLimit),
    retryAfter: o.retryAfter ?? false,
    tokenStatus,
    bareTokens: o.bareTokens ?? true,
    pageSize,
    onRequest: o.onRequest,
  };
}

function normalizeRateLimit(value: unknown): NormalizedOptions['rateLimit'] {
  if (value === false) return false;
  if (value === undefined) return { limit: 480, windowMs: 3_600_000 };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidOptionError(
      'rateLimit',
      `\`rateLimit\` must be false or an object { limit, windowMs }, got ${describeValue(value)}.`,
    );
  }
  for (const name of Object.keys(value)) {
    if (name !== 'limit' && name !== 'windowMs') {
      throw new InvalidOptionError(
        `rateLimit.${name}`,
        `\`rateLimit\` has an unknown field \`${name}\`; known: limit, windowMs.`,
      );
    }
  }
  const { limit = 480, windowMs = 3_600_000 } = value as RateLimitOptions;
  if (!Number.isInteger(limit) || limit < 1) {
    throw new InvalidOptionError(
      'rateLimit.limit',
      `\`rateLimit.limit\` must be an integer >= 1, got ${describeValue(limit)}.`,
    );
  }
  if (!Number.isInteger(windowMs) || windowMs < 1) {
    throw new InvalidOptionError(
      'rateLimit.windowMs',
      `\`rateLimit.windowMs\` must be an integer >= 1, got ${describeValue(windowMs)}.`,
    );
  }
  return { limit, windowMs };
}
