/** Counters since start or the last `resetStats()`. */
export interface EmulatorStats {
  /** Every request received. */
  requests: number;
  /** Tokens issued (successful exchanges). */
  exchanges: number;
  /** API requests (everything under `/api/v2/` but the token endpoint) answered with a valid token. */
  apiCalls: number;
  /** Requests refused with 429 by the rate limit. */
  rateLimited: number;
  /** Requests refused by the emulator's own checks (400, 401, 403, 404, 405, 413). */
  rejected: number;
  /** Requests a fault changed (delayed, replaced, reset or malformed). */
  faulted: number;
}

/** One logged request. Secrets and tokens are redacted. */
export interface RequestLogEntry {
  /** ISO time the request arrived. */
  time: string;
  method: string;
  path: string;
  query: Record<string, string>;
  /** Lower-cased header names; `x-lw-uaks`, `authorization`, `cookie` values redacted. */
  headers: Record<string, string>;
  /** Parsed JSON body with `secret`/`token`-like fields redacted, the text, or undefined. */
  body?: unknown;
  /** `token`, `api`, `echo` or `other`. */
  route: 'token' | 'api' | 'echo' | 'other';
  /** Status sent, or 0 when none was: a fault reset the socket, or the client left during a delay. */
  status: number;
  /** The key the request was attributed to, when known. */
  keyId?: string;
  /** Account the request acted on (the key's account or an `Account-Name` sub-account). */
  account?: string;
  /** Whether a fault applied. */
  fault: boolean;
  durationMs: number;
}

/** Placeholder for redacted values. */
export const REDACTED = '[REDACTED]';

const SECRET_HEADERS = new Set([
  'x-lw-uaks',
  'authorization',
  'cookie',
  'set-cookie',
  'proxy-authorization',
]);
const SECRET_FIELD = /secret|token|password|uaks|authorization/i;

/** Header values with secrets replaced; `Authorization` keeps its scheme word (`Bearer [REDACTED]`). */
export function redactHeaders(
  headers: Record<string, string | string[] | undefined>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, raw] of Object.entries(headers)) {
    if (raw === undefined) continue;
    const value = Array.isArray(raw) ? raw.join(', ') : raw;
    const lower = name.toLowerCase();
    if (!SECRET_HEADERS.has(lower)) out[lower] = value;
    else if (lower.endsWith('authorization') && /^bearer\s/i.test(value)) {
      out[lower] = `${value.slice(0, 6)} ${REDACTED}`;
    } else out[lower] = REDACTED;
  }
  return out;
}

/** A copy of a JSON value with secret-looking fields redacted. */
export function redactBody(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactBody);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = SECRET_FIELD.test(k) && v !== null && typeof v !== 'object' ? REDACTED : redactBody(v);
  }
  return out;
}

/** Emptied counters. */
export function emptyStats(): EmulatorStats {
  return { requests: 0, exchanges: 0, apiCalls: 0, rateLimited: 0, rejected: 0, faulted: 0 };
}
