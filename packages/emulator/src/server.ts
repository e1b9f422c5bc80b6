import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { EmulatorState, RequestContext } from './context.js';
import { dispatch, routeOf } from './dispatch.js';
import { type Fault, FaultQueue } from './faults.js';
import { logBody, MAX_BODY, readBody, writeReply, writeStalledReply } from './http-io.js';
import { type EmulatorKey, type EmulatorKeyInput, normalizeKeys } from './keys.js';
import { InvalidOptionError } from './option-error.js';
import { type EmulatorOptions, normalizeOptions } from './options.js';
import { PageStore } from './paging.js';
import { RateLimiter, rateLimitHeaders } from './rate-limit.js';
import { message, type Reply } from './reply.js';
import {
  type EmulatorStats,
  emptyStats,
  type RequestLogEntry,
  redactBody,
  redactHeaders,
} from './stats.js';
import { TokenRegistry } from './tokens.js';

const MAX_LOG = 10_000;

/** A running emulator. */
export interface Emulator {
  /** Base URL, e.g. `http://127.0.0.1:41234`; the token endpoint is `${url}/api/v2/access/tokens`. */
  readonly url: string;
  readonly port: number;
  /** Keys it accepts; `keys[0]` is ready to use. */
  readonly keys: EmulatorKey[];
  /** Counters since start or `resetStats()`. */
  stats(): EmulatorStats;
  /** Requests since start or `resetStats()` (last 10,000), secrets and tokens redacted. */
  requests(): RequestLogEntry[];
  /** Zeroes the counters and empties the request log. */
  resetStats(): void;
  /** Zeroes every rate-limit window. */
  resetRateLimit(): void;
  /** Applies a fault to the next `fault.times` (default 1) matching requests. */
  inject(fault: Fault): void;
  /** Drops faults not yet used. */
  clearFaults(): void;
  /** Invalidates every issued token (or those of one key); returns how many. */
  revokeTokens(keyId?: string): number;
  /** Whether this emulator issued `token` (even if it has since expired or been revoked). */
  isIssuedToken(token: string): boolean;
  /** Adds a key (e.g. for key-rotation tests); missing fields are generated. */
  addKey(key?: EmulatorKeyInput): EmulatorKey;
  /** Removes a key: its secret stops working and its tokens are revoked. */
  removeKey(keyId: string): boolean;
  /** Stops listening and destroys open connections (keep-alive included). */
  close(): Promise<void>;
}

/**
 * Starts a local Lacework API: the token endpoint, the token-checked v2 routes, the rate
 * limit, and fault injection for tests.
 *
 * @example
 * const emu = await startEmulator();
 * const { keyId, secret } = emu.keys[0];
 * const res = await fetch(`${emu.url}/api/v2/access/tokens`, {
 *   method: 'POST',
 *   headers: { 'X-LW-UAKS': secret, 'Content-Type': 'application/json' },
 *   body: JSON.stringify({ keyId, expiryTime: 3600 }),
 * });
 * const { token, expiresAt } = await res.json(); // 201
 * await emu.close();
 */
export async function startEmulator(options?: EmulatorOptions): Promise<Emulator> {
  const opts = normalizeOptions(options);
  const state: EmulatorState = {
    keys: new Map(opts.keys.map((k) => [k.keyId, k])),
    tokens: new TokenRegistry(),
    limiter: opts.rateLimit
      ? new RateLimiter(opts.rateLimit.limit, opts.rateLimit.windowMs)
      : undefined,
    retryAfter: opts.retryAfter,
    tokenStatus: opts.tokenStatus,
    bareTokens: opts.bareTokens,
    pages: new PageStore(opts.pageSize),
    url: '',
  };
  const faults = new FaultQueue();
  let stats = emptyStats();
  let log: RequestLogEntry[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let closed = false;

  /** Waits `ms`; resolves false early if the client goes away meanwhile. */
  const delay = (ms: number, res: ServerResponse) =>
    new Promise<boolean>((resolve) => {
      const gone = () => {
        clearTimeout(t);
        timers.delete(t);
        resolve(false);
      };
      const t = setTimeout(() => {
        timers.delete(t);
        res.off('close', gone);
        resolve(true);
      }, ms);
      timers.add(t);
      res.once('close', gone);
    });

  function record(entry: RequestLogEntry) {
    log.push(entry);
    if (log.length > MAX_LOG) log.splice(0, log.length - MAX_LOG);
    try {
      opts.onRequest?.(entry);
    } catch {
      // A throwing logger must not take the emulator down.
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const started = Date.now();
    const url = requestUrl(req.url);
    const method = (req.method ?? 'GET').toUpperCase();
    const raw = await readBody(req);
    stats.requests++;
    const ctx: RequestContext = {
      method,
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      rawBody: raw ?? '',
      remote: req.socket.remoteAddress ?? 'unknown',
      state,
      outcome: 'none',
    };
    const fault = faults.take(method, ctx.path);
    if (fault) stats.faulted++;
    const entry = (status: number): RequestLogEntry => ({
      time: new Date(started).toISOString(),
      method,
      path: ctx.path,
      query: redactBody(Object.fromEntries(ctx.query)) as Record<string, string>,
      headers: redactHeaders(req.headers),
      body: logBody(ctx.rawBody),
      route: routeOf(ctx.path),
      status,
      ...(ctx.keyId === undefined ? {} : { keyId: ctx.keyId }),
      ...(ctx.account === undefined ? {} : { account: ctx.account }),
      fault: fault !== undefined,
      durationMs: Date.now() - started,
    });

    // A client that gave up during a delay gets nothing more: the request ends here, logged at
    // once, so it does not run (or show up in the log) later, during someone else's test.
    if (fault?.delayMs && !(await delay(fault.delayMs, res))) {
      if (!closed) record(entry(0));
      return;
    }
    if (closed) return;
    if (fault?.reset) {
      req.socket.destroy();
      record(entry(0));
      return;
    }
    let reply: Reply;
    if (fault && (fault.status !== undefined || fault.body !== undefined)) {
      const status = fault.status ?? 200;
      reply =
        fault.body === undefined ? message(status) : { status, headers: {}, body: fault.body };
    } else if (raw === undefined) {
      ctx.outcome = 'rejected';
      reply = message(413, `Request body larger than ${MAX_BODY} bytes.`);
    } else {
      reply = dispatch(ctx);
      if (ctx.rateLimit) Object.assign(reply.headers, rateLimitHeaders(ctx.rateLimit));
    }
    if (ctx.outcome === 'exchange') stats.exchanges++;
    else if (ctx.outcome === 'apiCall') stats.apiCalls++;
    else if (ctx.outcome === 'rejected') stats.rejected++;
    else if (ctx.outcome === 'rateLimited') stats.rateLimited++;

    if (fault?.stallBody) writeStalledReply(res, reply, fault.headers);
    else writeReply(res, method, reply, fault?.headers, fault?.malformed === true);
    record(entry(reply.status));
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ message: 'Emulator internal error.' }));
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${urlHost(opts.host)}:${port}`;
  state.url = url;

  return {
    url,
    port,
    get keys() {
      return [...state.keys.values()];
    },
    stats: () => ({ ...stats }),
    requests: () => log.map((e) => structuredClone(e)),
    resetStats() {
      stats = emptyStats();
      log = [];
    },
    resetRateLimit: () => state.limiter?.reset(),
    inject: (fault) => faults.add(fault),
    clearFaults: () => faults.clear(),
    revokeTokens: (keyId) => state.tokens.revoke(keyId),
    isIssuedToken: (token) => typeof token === 'string' && state.tokens.has(token),
    addKey(input = {}) {
      const [key] = normalizeKeys([input]) as [EmulatorKey];
      if (state.keys.has(key.keyId))
        throw new InvalidOptionError('keyId', '`keyId` duplicates an existing key.');
      state.keys.set(key.keyId, key);
      return key;
    },
    removeKey(keyId) {
      state.tokens.revoke(keyId);
      return state.keys.delete(keyId);
    },
    close() {
      if (closed) return Promise.resolve();
      closed = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
        server.closeAllConnections();
      });
    },
  };
}

function urlHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}

/** The request target as a URL; `//x` stays a path (it is not a host, as `new URL(t, base)` would make it). */
function requestUrl(target = '/'): URL {
  if (target.startsWith('/')) return new URL(`http://emulator.invalid${target}`);
  try {
    return new URL(target); // absolute form, as sent to proxies
  } catch {
    return new URL('http://emulator.invalid/');
  }
}
