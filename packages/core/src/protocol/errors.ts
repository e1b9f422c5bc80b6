import { redactText } from './redact.js';

/**
 * The symbol Node's `util.inspect` looks for (`util.inspect.custom`), without importing `node:util`:
 * this module also runs in Postman's sandbox.
 */
export const INSPECT: unique symbol = Symbol.for('nodejs.util.inspect.custom') as never;

type InspectFn = (value: unknown, options: object) => string;

/** Every stable error code thrown by `@lacework-auth/core`. */
export const ERROR_CODES = [
  'ERR_LW_INVALID_OPTION',
  'ERR_LW_MISSING_CREDENTIALS',
  'ERR_LW_INVALID_BASE_URL',
  'ERR_LW_KEY_REJECTED',
  'ERR_LW_RATE_LIMITED',
  'ERR_LW_SERVER',
  'ERR_LW_BAD_RESPONSE',
  'ERR_LW_NETWORK',
  'ERR_LW_TIMEOUT',
  'ERR_LW_UNAUTHORIZED',
  'ERR_LW_HTTP',
  'ERR_LW_FOREIGN_NEXT_PAGE',
  'ERR_LW_CROSS_ORIGIN_REDIRECT',
  'ERR_LW_BUDGET_EXHAUSTED',
] as const;

/** A stable error code (`err.code`), safe to branch on. */
export type LaceworkAuthErrorCode = (typeof ERROR_CODES)[number];

/** Context attached to an error. None of these fields may hold a secret or a token. */
export interface LaceworkAuthErrorDetails {
  /** HTTP status of the response that caused the error. */
  status?: number | undefined;
  /** HTTP method of the failed request. */
  method?: string | undefined;
  /** URL of the failed request (no query string credentials are ever sent). */
  url?: string | undefined;
  /** Milliseconds the server asked us to wait (rate limits). */
  retryAfterMs?: number | undefined;
  /** A sanitized cause; see {@link sanitizeCause}. */
  cause?: unknown;
}

/**
 * Base class of every error thrown by lacework-auth. `code` is stable; branch on it rather than
 * on the message. Messages, stacks, `util.inspect` and `toJSON()` never contain a secret or token.
 *
 * @example
 * ```ts
 * try {
 *   await provider.getToken();
 * } catch (error) {
 *   if (isLaceworkAuthError(error, 'ERR_LW_KEY_REJECTED')) console.error(error.message);
 *   else throw error;
 * }
 * ```
 */
export class LaceworkAuthError extends Error {
  override name = 'LaceworkAuthError';
  /** Stable error code, e.g. `ERR_LW_KEY_REJECTED`. */
  readonly code: LaceworkAuthErrorCode;
  /** HTTP status when a response was received. */
  readonly status: number | undefined;
  /** HTTP method of the failed request. */
  readonly method: string | undefined;
  /** URL of the failed request. */
  readonly url: string | undefined;
  /** How long the server asked us to wait before retrying, in milliseconds. */
  readonly retryAfterMs: number | undefined;

  constructor(
    code: LaceworkAuthErrorCode,
    message: string,
    details: LaceworkAuthErrorDetails = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    this.status = details.status;
    this.method = details.method;
    this.url = details.url;
    this.retryAfterMs = details.retryAfterMs;
    // Hide undefined context from util.inspect so logs stay short.
    for (const field of ['status', 'method', 'url', 'retryAfterMs'] as const) {
      if (this[field] === undefined) {
        Object.defineProperty(this, field, { enumerable: false, value: undefined });
      }
    }
  }

  /**
   * `util.inspect` output: stack, code, context and the cause chain (name, message, code), never
   * the properties of foreign objects a cause might carry.
   */
  [INSPECT](_depth: number, options: object, inspectFn?: InspectFn): string {
    const extra = this.toJSON();
    delete extra.name;
    delete extra.message;
    delete extra.cause;
    let causeText = '';
    let cause: unknown = this.cause;
    for (let depth = 1; depth <= 4 && cause instanceof Error; depth++) {
      const code = (cause as { code?: unknown }).code;
      const suffix = typeof code === 'string' || typeof code === 'number' ? ` [${code}]` : '';
      causeText += `\n${'  '.repeat(depth)}[cause]: ${cause.name}: ${cause.message}${suffix}`;
      cause = cause.cause;
    }
    const body = this.stack ?? `${this.name}: ${this.message}`;
    const context = inspectFn ? inspectFn(extra, { ...options, depth: 1 }) : JSON.stringify(extra);
    return `${body} ${context}${causeText}`;
  }

  /** A JSON-safe summary (name, code, message and context). */
  toJSON(): Record<string, unknown> {
    const json: Record<string, unknown> = {
      name: this.name,
      code: this.code,
      message: this.message,
    };
    if (this.status !== undefined) json.status = this.status;
    if (this.method !== undefined) json.method = this.method;
    if (this.url !== undefined) json.url = this.url;
    if (this.retryAfterMs !== undefined) json.retryAfterMs = this.retryAfterMs;
    if (this.cause instanceof Error)
      json.cause = { name: this.cause.name, message: this.cause.message };
    return json;
  }
}

/** Context of an {@link InvalidOptionError}: which option is wrong, and what was probably meant. */
export interface InvalidOptionDetails extends LaceworkAuthErrorDetails {
  /** See {@link InvalidOptionError.option}. */
  option?: string | undefined;
  /** See {@link InvalidOptionError.suggestion}. */
  suggestion?: string | undefined;
  /** See {@link InvalidOptionError.knownOptions}. */
  knownOptions?: readonly string[] | undefined;
}

/**
 * Bad options or input (`ERR_LW_INVALID_OPTION`), thrown synchronously at factory time. Branch on
 * `option`, `suggestion` and `knownOptions` rather than parsing the message.
 *
 * @example
 * ```ts
 * try {
 *   createTokenProvider({ ExpiryTime: 60 } as never);
 * } catch (error) {
 *   if (error instanceof InvalidOptionError) console.error(error.option, error.suggestion);
 *   // 'ExpiryTime' 'expiryTime'
 * }
 * ```
 */
export class InvalidOptionError extends LaceworkAuthError {
  override name = 'InvalidOptionError';
  /**
   * The name of the setting at fault, as the message names it: an option (`expiryTime`, `keyId`,
   * `retry.limit`), or the environment variable or config-file key it came from (`LW_ORGANIZATION`,
   * `api_key`). For an unknown option, the name as given when it looks like an option name, else
   * `undefined` (a secret pasted as a key is not repeated). `undefined` too when no single setting
   * is at fault (options that are not an object, a request for another host).
   */
  readonly option: string | undefined;
  /** For an unknown option: the known option it probably means (`ExpiryTime` → `expiryTime`). */
  readonly suggestion: string | undefined;
  /**
   * For an unknown option only: every option the factory accepts. Its presence is how to tell
   * "unknown option" from "bad value".
   */
  readonly knownOptions: readonly string[] | undefined;

  constructor(message: string, details: InvalidOptionDetails = {}) {
    const { option, suggestion, knownOptions, ...rest } = details;
    super('ERR_LW_INVALID_OPTION', message, rest);
    this.option = option;
    this.suggestion = suggestion;
    this.knownOptions = knownOptions === undefined ? undefined : Object.freeze([...knownOptions]);
    for (const field of ['option', 'suggestion', 'knownOptions'] as const) {
      if (this[field] === undefined) {
        Object.defineProperty(this, field, { enumerable: false, value: undefined });
      }
    }
  }

  override toJSON(): Record<string, unknown> {
    const json = super.toJSON();
    if (this.option !== undefined) json.option = this.option;
    if (this.suggestion !== undefined) json.suggestion = this.suggestion;
    if (this.knownOptions !== undefined) json.knownOptions = [...this.knownOptions];
    return json;
  }
}

/** No key (or no account) could be found in options, environment, profile or key file. */
export class MissingCredentialsError extends LaceworkAuthError {
  override name = 'MissingCredentialsError';
  constructor(message: string, details?: LaceworkAuthErrorDetails) {
    super('ERR_LW_MISSING_CREDENTIALS', message, details);
  }
}

/** The account or base URL is not a usable Lacework API address. */
export class InvalidBaseUrlError extends LaceworkAuthError {
  override name = 'InvalidBaseUrlError';
  constructor(message: string, details?: LaceworkAuthErrorDetails) {
    super('ERR_LW_INVALID_BASE_URL', message, details);
  }
}

/** The token endpoint refused the key (HTTP 400, 401 or 403). */
export class KeyRejectedError extends LaceworkAuthError {
  override name = 'KeyRejectedError';
  constructor(message: string, details?: LaceworkAuthErrorDetails) {
    super('ERR_LW_KEY_REJECTED', message, details);
  }
}

/** Lacework answered 429 Too Many Requests. `retryAfterMs` says when to try again, if known. */
export class RateLimitedError extends LaceworkAuthError {
  override name = 'RateLimitedError';
  constructor(message: string, details?: LaceworkAuthErrorDetails) {
    super('ERR_LW_RATE_LIMITED', message, details);
  }
}

/** Lacework answered with a 5xx status. */
export class ServerError extends LaceworkAuthError {
  override name = 'ServerError';
  constructor(message: string, details?: LaceworkAuthErrorDetails) {
    super('ERR_LW_SERVER', message, details);
  }
}

/**
 * Lacework answered 2xx with something unusable: the token endpoint without a token response, or
 * a page for `paginate()` without a `data` array.
 */
export class BadResponseError extends LaceworkAuthError {
  override name = 'BadResponseError';
  constructor(message: string, details?: LaceworkAuthErrorDetails) {
    super('ERR_LW_BAD_RESPONSE', message, details);
  }
}

/** The connection failed (refused, reset, DNS). */
export class NetworkError extends LaceworkAuthError {
  override name = 'NetworkError';
  constructor(message: string, details?: LaceworkAuthErrorDetails) {
    super('ERR_LW_NETWORK', message, details);
  }
}

/** No response arrived within the configured `timeout`. */
export class RequestTimeoutError extends LaceworkAuthError {
  override name = 'RequestTimeoutError';
  constructor(message: string, details?: LaceworkAuthErrorDetails) {
    super('ERR_LW_TIMEOUT', message, details);
  }
}

/** An API call was answered 401/403 even with a freshly exchanged token. */
export class UnauthorizedError extends LaceworkAuthError {
  override name = 'UnauthorizedError';
  constructor(message: string, details?: LaceworkAuthErrorDetails) {
    super('ERR_LW_UNAUTHORIZED', message, details);
  }
}

/** An API call was answered with another non-2xx status. */
export class HttpError extends LaceworkAuthError {
  override name = 'HttpError';
  constructor(message: string, details?: LaceworkAuthErrorDetails) {
    super('ERR_LW_HTTP', message, details);
  }
}

/**
 * A page's `paging.urls.nextPage` points at another origin than the client's: `paginate()` does
 * not follow it (the token would go there) and sends nothing there.
 */
export class ForeignNextPageError extends LaceworkAuthError {
  override name = 'ForeignNextPageError';
  constructor(message: string, details?: LaceworkAuthErrorDetails) {
    super('ERR_LW_FOREIGN_NEXT_PAGE', message, details);
  }
}

/**
 * An API call was answered with a redirect to another origin (scheme, host or port), or to a URL
 * with user info. It is not followed: nothing (body, token, `Account-Name`, `Org-Access`) is sent
 * there.
 */
export class CrossOriginRedirectError extends LaceworkAuthError {
  override name = 'CrossOriginRedirectError';
  constructor(message: string, details?: LaceworkAuthErrorDetails) {
    super('ERR_LW_CROSS_ORIGIN_REDIRECT', message, details);
  }
}

/**
 * The key's rate budget (see `RateBudgetOptions`) would hold this call back longer than the
 * caller's `maxWait`: it was not sent. `retryAfterMs` is when the budget expects a free slot.
 */
export class BudgetExhaustedError extends LaceworkAuthError {
  override name = 'BudgetExhaustedError';
  constructor(message: string, details?: LaceworkAuthErrorDetails) {
    super('ERR_LW_BUDGET_EXHAUSTED', message, details);
  }
}

/**
 * True when `error` is a {@link LaceworkAuthError} (optionally with the given code). Compares
 * `name`/`code` as well as `instanceof`, so it works when two copies of the package are loaded.
 *
 * @example
 * ```ts
 * if (isLaceworkAuthError(error, 'ERR_LW_RATE_LIMITED')) await sleep(error.retryAfterMs ?? 60_000);
 * ```
 */
export function isLaceworkAuthError(
  error: unknown,
  code?: LaceworkAuthErrorCode,
): error is LaceworkAuthError {
  if (error === null || typeof error !== 'object') return false;
  const candidate = error as { code?: unknown; name?: unknown };
  const matches =
    error instanceof LaceworkAuthError ||
    (error instanceof Error &&
      typeof candidate.code === 'string' &&
      (ERROR_CODES as readonly string[]).includes(candidate.code) &&
      typeof candidate.name === 'string');
  return matches && (code === undefined || candidate.code === code);
}

/**
 * Turns an arbitrary thrown value into a plain `Error` that carries only its name, message and
 * code (recursively for `cause`). ky's errors hold the `Request` with its headers (secret, bearer
 * token); they must never hang off our errors where `util.inspect` would print them.
 */
export function sanitizeCause(
  value: unknown,
  redactValues: readonly string[] = [],
  depth = 0,
): Error {
  const source = value instanceof Error ? value : undefined;
  const message = redactText(source ? source.message : String(value), redactValues);
  const inner =
    source?.cause !== undefined && depth < 3
      ? sanitizeCause(source.cause, redactValues, depth + 1)
      : undefined;
  const clean = new Error(message, inner ? { cause: inner } : undefined);
  clean.name = source?.name ?? 'Error';
  const code = (source as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string' || typeof code === 'number') {
    Object.assign(clean, { code });
  }
  // The stack of a foreign error could quote a header value; ours is enough to debug.
  clean.stack = `${clean.name}: ${clean.message}`;
  return clean;
}
