import { TOKEN_PATH } from './dispatch.js';
import { describeValue } from './keys.js';
import { InvalidOptionError } from './option-error.js';

/**
 * A fault for the next `times` matching requests. Fields combine: `delayMs` waits first, then
 * `reset` destroys the socket, or `status`/`body` replace the answer (the real handler does not
 * run), or `malformed` cuts the real answer's body in half, or `stallBody` sends the status, headers
 * and half the body and then nothing more; `headers` are added to whatever is sent.
 *
 * @example
 * emu.inject({ route: 'token', status: 503, times: 2 });       // two failed exchanges
 * emu.inject({ route: 'api', status: 429, headers: { 'Retry-After': '1' } });
 * emu.inject({ route: '/api/v2/UserProfile', delayMs: 2000 });  // a slow answer
 * emu.inject({ route: 'token', reset: true });                  // connection reset
 * emu.inject({ route: 'token', malformed: true });              // 201 with broken JSON
 * emu.inject({ route: 'token', stallBody: true });              // 201, half a body, then silence
 */
export interface Fault {
  /**
   * Which requests: `'token'` (the token endpoint), `'api'` (every other `/api/v2/` route), `'any'`,
   * or a path prefix starting with `/`.
   * @default 'any'
   */
  route?: 'token' | 'api' | 'any' | (string & {});
  /** Only requests with this method (case-insensitive). @default any method */
  method?: string;
  /** Status to answer with instead of the real answer. @default 200 when only `body` is given */
  status?: number;
  /**
   * Body for the replacing answer: a string is sent as is (e.g. an HTML error page), anything
   * else as JSON. @default `{"message": <status text>}`
   */
  body?: unknown;
  /** Headers added to the answer. */
  headers?: Record<string, string>;
  /** Milliseconds to wait before answering (or resetting). */
  delayMs?: number;
  /** Destroy the socket without answering. */
  reset?: true;
  /** Send the real status and headers with a truncated, unparsable JSON body. */
  malformed?: true;
  /**
   * Send the status, the headers (with the full `Content-Length`) and the first half of the body,
   * then nothing more until the client gives up or the emulator closes: a server that stalls
   * mid-body. Combines with `status`/`body` (a stalled replaced answer) or alone (the real one).
   */
  stallBody?: true;
  /** How many matching requests it applies to; `Infinity` for all. @default 1 */
  times?: number;
}

const FAULT_FIELDS = new Set([
  'route',
  'method',
  'status',
  'body',
  'headers',
  'delayMs',
  'reset',
  'malformed',
  'stallBody',
  'times',
]);

interface ActiveFault extends Fault {
  remaining: number;
}

/** Validates a fault; throws an InvalidOptionError naming the bad field. */
export function validateFault(fault: unknown): Fault {
  if (typeof fault !== 'object' || fault === null || Array.isArray(fault)) {
    throw new InvalidOptionError(
      'fault',
      `\`fault\` must be an object, got ${describeValue(fault)}.`,
    );
  }
  for (const field of Object.keys(fault)) {
    if (!FAULT_FIELDS.has(field)) {
      throw new InvalidOptionError(
        `fault.${field}`,
        `\`fault\` has an unknown field \`${field}\`; known: ${[...FAULT_FIELDS].join(', ')}.`,
      );
    }
  }
  const f = fault as Fault;
  if (
    f.route !== undefined &&
    !(
      typeof f.route === 'string' &&
      (['token', 'api', 'any'].includes(f.route) || f.route.startsWith('/'))
    )
  ) {
    throw new InvalidOptionError(
      'fault.route',
      "`fault.route` must be 'token', 'api', 'any' or a path starting with '/'.",
    );
  }
  if (f.method !== undefined && (typeof f.method !== 'string' || f.method === '')) {
    throw new InvalidOptionError('fault.method', '`fault.method` must be an HTTP method name.');
  }
  if (
    f.status !== undefined &&
    !(Number.isInteger(f.status) && f.status >= 100 && f.status <= 599)
  ) {
    throw new InvalidOptionError(
      'fault.status',
      `\`fault.status\` must be an integer from 100 to 599, got ${describeValue(f.status)}.`,
    );
  }
  if (f.headers !== undefined) {
    if (typeof f.headers !== 'object' || f.headers === null || Array.isArray(f.headers)) {
      throw new InvalidOptionError(
        'fault.headers',
        '`fault.headers` must be an object of header names to string values.',
      );
    }
    for (const [k, v] of Object.entries(f.headers)) {
      if (typeof v !== 'string' || /[\r\n]/.test(v) || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(k)) {
        throw new InvalidOptionError(
          'fault.headers',
          `\`fault.headers\` has an invalid header \`${k}\`.`,
        );
      }
    }
  }
  if (f.delayMs !== undefined && !(Number.isFinite(f.delayMs) && f.delayMs >= 0)) {
    throw new InvalidOptionError(
      'fault.delayMs',
      `\`fault.delayMs\` must be a number >= 0, got ${describeValue(f.delayMs)}.`,
    );
  }
  if (f.reset !== undefined && f.reset !== true)
    throw new InvalidOptionError('fault.reset', '`fault.reset` must be true.');
  if (f.malformed !== undefined && f.malformed !== true) {
    throw new InvalidOptionError('fault.malformed', '`fault.malformed` must be true.');
  }
  if (f.stallBody !== undefined && f.stallBody !== true) {
    throw new InvalidOptionError('fault.stallBody', '`fault.stallBody` must be true.');
  }
  if (
    f.times !== undefined &&
    !(f.times === Infinity || (Number.isInteger(f.times) && f.times >= 1))
  ) {
    throw new InvalidOptionError(
      'fault.times',
      `\`fault.times\` must be an integer >= 1 or Infinity, got ${describeValue(f.times)}.`,
    );
  }
  const replaces = f.status !== undefined || f.body !== undefined;
  if ([replaces, f.reset, f.malformed].filter(Boolean).length > 1) {
    throw new InvalidOptionError(
      'fault',
      '`fault` may use only one of `status`/`body`, `reset` and `malformed`.',
    );
  }
  if (f.stallBody && (f.reset || f.malformed)) {
    throw new InvalidOptionError(
      'fault.stallBody',
      '`fault.stallBody` cannot be combined with `reset` or `malformed`.',
    );
  }
  if (
    !replaces &&
    !f.reset &&
    !f.malformed &&
    !f.stallBody &&
    f.delayMs === undefined &&
    f.headers === undefined
  ) {
    throw new InvalidOptionError(
      'fault',
      '`fault` does nothing: give `status`, `body`, `reset`, `malformed`, `stallBody`, `delayMs` or `headers`.',
    );
  }
  return { ...f };
}

function matches(fault: Fault, method: string, path: string): boolean {
  if (fault.method !== undefined && fault.method.toUpperCase() !== method) return false;
  const route = fault.route ?? 'any';
  if (route === 'any') return true;
  if (route === 'token') return path === TOKEN_PATH;
  if (route === 'api') return path.startsWith('/api/v2/') && path !== TOKEN_PATH;
  return path.startsWith(route);
}

/** Injected faults, consumed in the order they were injected. */
export class FaultQueue {
  #faults: ActiveFault[] = [];

  add(fault: Fault): void {
    const f = validateFault(fault);
    this.#faults.push({ ...f, remaining: f.times ?? 1 });
  }

  /** Takes one use of the first fault matching the request. */
  take(method: string, path: string): Fault | undefined {
    const i = this.#faults.findIndex((f) => matches(f, method, path));
    if (i < 0) return undefined;
    const f = this.#faults[i] as ActiveFault;
    f.remaining--;
    if (f.remaining <= 0) this.#faults.splice(i, 1);
    const { remaining: _, ...fault } = f;
    return fault;
  }

  get pending(): number {
    return this.#faults.length;
  }

  clear(): void {
    this.#faults = [];
  }
}
