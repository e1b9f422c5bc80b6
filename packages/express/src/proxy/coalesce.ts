import { createHash, randomUUID } from 'node:crypto';
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { Writable } from 'node:stream';
import type { TokenProvider } from '@lacework-auth/core';
import type { Admitted } from './checks.js';
import {
  type CacheConfig,
  type CachedResponse,
  cacheableRoute,
  cachedHeaders,
  upstreamFreshness,
  wantsFresh,
  withHeaders,
} from './response-cache.js';

/** Largest answer late joiners can still be given from the start (without a cache). */
const JOIN_LIMIT = 1024 * 1024;
/** A run of this many `*` (or the token's length) is what masking leaves where a token was. */
const MASK_RUN = 16;

/**
 * One upstream answer on its way to every client that asked for it. It stands in for the
 * leader's `ServerResponse`: `forward` and `relay` write the answer into it once, token already
 * masked, and it copies status, headers and body to each client, at the pace of the slowest. A
 * client that joins while the answer is arriving gets what came so far, then the rest. What it
 * recorded (up to a limit) is what the cache stores.
 */
export class Flight extends Writable {
  statusCode = 200;
  headersSent = false;
  /** `Cache-Control` of Lacework's answer, when it came (see {@link noteUpstream}). */
  upstreamCacheControl: string | undefined;
  /** What masking leaves in a body where it removed the token. */
  maskRun: string | undefined;
  head: { status: number; headers: string[] } | undefined;
  readonly #set = new Map<string, [string, string]>();
  readonly #clients = new Map<ServerResponse, string>();
  #chunks: Buffer[] = [];
  #bytes = 0;
  #recording = true;

  constructor(
    private readonly recordLimit: number,
    /** Called with the head before any client sees it; returns the headers to send. */
    private readonly decorate: (flight: Flight, status: number, headers: string[]) => string[],
    /** Keep the upstream answer coming when every client has gone (to fill the cache). */
    private readonly keepWithoutClients: boolean,
  ) {
    super();
  }

  /** A client that joins now still gets the whole answer. */
  get joinable(): boolean {
    return this.#recording && !this.writableEnded && !this.destroyed;
  }

  /** The whole answer, when it arrived complete and within the record limit. */
  recorded(): { status: number; headers: string[]; body: Buffer } | undefined {
    if (!this.#recording || !this.writableFinished || this.head === undefined) return undefined;
    return { ...this.head, body: Buffer.concat(this.#chunks) };
  }

  /** Adds a client; `status` is its `Cache-Status` (how its request was served). */
  add(client: ServerResponse, status: string): void {
    this.#clients.set(client, status);
    client.once('close', () => {
      this.#clients.delete(client);
      if (this.#clients.size === 0 && !this.keepWithoutClients && !this.writableFinished) {
        this.destroy();
      }
    });
    if (this.head === undefined) return;
    this.#writeHeadTo(client);
    for (const chunk of this.#chunks) client.write(chunk);
  }

  // The parts of ServerResponse that forward(), relay() and sendJsonError() use.
  setHeader(name: string, value: number | string | readonly string[]): this {
    this.#set.set(name.toLowerCase(), [name, String(value)]);
    return this;
  }

  getHeader(name: string): string | undefined {
    return this.#set.get(name.toLowerCase())?.[1];
  }

  writeHead(status: number, headers?: OutgoingHttpHeaders | readonly string[]): this {
    if (this.headersSent) return this;
    const flat: string[] = [];
    for (const [name, value] of this.#set.values()) flat.push(name, value);
    if (Array.isArray(headers)) flat.push(...(headers as string[]));
    else if (headers) {
      for (const [name, value] of Object.entries(headers)) {
        if (value !== undefined) flat.push(name, String(value));
      }
    }
    this.statusCode = status;
    this.headersSent = true;
    this.head = { status, headers: this.decorate(this, status, flat) };
    for (const client of this.#clients.keys()) this.#writeHeadTo(client);
    return this;
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error) => void): void {
    if (!this.headersSent) this.writeHead(this.statusCode);
    if (this.#recording) {
      this.#chunks.push(chunk);
      this.#bytes += chunk.length;
      if (this.#bytes > this.recordLimit) {
        this.#recording = false;
        this.#chunks = [];
        this.emit('unjoinable');
      }
    }
    let waiting = 0;
    const drained = () => {
      waiting--;
      if (waiting === 0) done();
    };
    for (const client of this.#clients.keys()) {
      if (client.write(chunk)) continue;
      waiting++;
      const onDrain = () => {
        client.off('close', onDrain);
        client.off('drain', onDrain);
        drained();
      };
      client.once('drain', onDrain);
      client.once('close', onDrain);
    }
    if (waiting === 0) done();
  }

  override _final(done: (error?: Error) => void): void {
    if (!this.headersSent) this.writeHead(this.statusCode);
    for (const client of this.#clients.keys()) client.end();
    done();
  }

  override _destroy(error: Error | null, done: (error?: Error | null) => void): void {
    // The answer broke off (or never came): every client that has not got all of it is cut off.
    for (const client of this.#clients.keys()) if (!client.writableEnded) client.destroy();
    this.#chunks = [];
    this.#recording = false;
    done(error);
  }

  #writeHeadTo(client: ServerResponse): void {
    if (client.headersSent || this.head === undefined) return;
    const status = this.#clients.get(client) ?? 'lacework-proxy; fwd=uri-miss';
    client.writeHead(this.head.status, withHeaders(this.head.headers, { 'Cache-Status': status }));
  }
}

/**
 * Tells a {@link Flight} about Lacework's answer before `relay` writes it: its `Cache-Control`,
 * and the token's length (to recognise a masked token in the body). No-op for a plain response.
 */
export function noteUpstream(res: ServerResponse, response: IncomingMessage, token: string) {
  if (!(res instanceof Flight)) return;
  const control = response.headers['cache-control'];
  res.upstreamCacheControl = Array.isArray(control) ? control.join(', ') : control;
  res.maskRun = '*'.repeat(Math.min(MASK_RUN, token.length));
}

/** What the proxy shares between identical requests: flights in progress and cached answers. */
export interface Sharing {
  /** True when this request may share: a GET or HEAD without a body, and sharing is on. */
  applies(req: IncomingMessage, admitted: Admitted): boolean;
  /**
   * Answers from the cache, joins a flight in progress, or starts one: `run(sink)` forwards the
   * request, writing the answer into `sink`.
   */
  serve(
    req: IncomingMessage,
    res: ServerResponse,
    admitted: Admitted,
    run: (sink: ServerResponse) => void,
  ): Promise<void>;
}

const providerIds = new WeakMap<TokenProvider, string>();

/**
 * Which key answers were fetched with: the budget's id (a hash of base URL and key ID, the same
 * in every process) or, for a provider without a budget, one id per provider object.
 */
function identityOf(provider: TokenProvider): string {
  if (provider.budget !== undefined) return provider.budget.id;
  let id = providerIds.get(provider);
  if (id === undefined) {
    id = `provider-${randomUUID()}`;
    providerIds.set(provider, id);
  }
  return id;
}

/**
 * Coalescing (identical concurrent requests share one upstream call) and the optional cache.
 * Answers are never shared across keys, sub-accounts or org access, nor across methods, routes,
 * queries or forwarded headers: all of them are in the key.
 */
export function createSharing(options: {
  coalesce: boolean;
  cache: CacheConfig | undefined;
  provider: () => TokenProvider;
  onError: (error: unknown, req: IncomingMessage) => void;
}): Sharing {
  const { coalesce, cache } = options;
  const flights = new Map<string, Flight>();

  const keyOf = (req: IncomingMessage, admitted: Admitted): string => {
    const provider = options.provider();
    const headers = Object.entries(admitted.headers)
      // Lacework answers alike whatever the browser: one user agent must not split the flights.
      .filter(([name]) => name !== 'user-agent')
      .map(([name, value]) => [name, Array.isArray(value) ? value.join(', ') : String(value)])
      .sort(([a], [b]) => ((a as string) < (b as string) ? -1 : 1));
    const material = JSON.stringify([
      'lacework-proxy/v1',
      identityOf(provider),
      provider.baseUrl,
      provider.subAccount ?? '',
      provider.orgAccess === true,
      req.method,
      admitted.target.path,
      admitted.target.search,
      headers,
    ]);
    return `lw-proxy-${createHash('sha256').update(material).digest('hex')}`;
  };

  /** Headers of an answer the cache may keep: its freshness, and where it came from. */
  const decorate =
    (storable: boolean) =>
    (flight: Flight, status: number, headers: string[]): string[] => {
      if (!storable || !cache || status !== 200) return headers;
      const freshness = Math.min(cache.ttl, upstreamFreshness(flight.upstreamCacheControl));
      if (freshness <= 0) return headers;
      return withHeaders(headers, {
        'Cache-Control': `private, max-age=${Math.floor(freshness / 1000)}`,
      });
    };

  const store = (req: IncomingMessage, key: string, flight: Flight, startedAt: number) => {
    if (!cache) return;
    const answer = flight.recorded();
    if (answer === undefined || answer.status !== 200) return;
    const freshness = Math.min(cache.ttl, upstreamFreshness(flight.upstreamCacheControl));
    if (freshness <= 0 || answer.body.length > cache.maxBytes) return;
    // Masking took a token out of this body: it is delivered, but not kept.
    if (flight.maskRun === undefined || answer.body.includes(flight.maskRun)) return;
    const entry: CachedResponse = {
      status: answer.status,
      headers: answer.headers,
      body: answer.body,
      storedAt: startedAt,
      expiresAt: startedAt + freshness,
    };
    try {
      const done = cache.store.set(key, entry);
      if (done instanceof Promise) done.catch((error: unknown) => options.onError(error, req));
    } catch (error) {
      options.onError(error, req);
    }
  };

  const lookup = async (req: IncomingMessage, key: string) => {
    if (!cache) return undefined;
    try {
      const found = cache.store.get(key);
      const entry = found instanceof Promise ? await found : found;
      return entry && entry.expiresAt > Date.now() ? entry : undefined;
    } catch (error) {
      options.onError(error, req);
      return undefined;
    }
  };

  return {
    applies(req, admitted) {
      return (
        (coalesce || cache !== undefined) &&
        (req.method === 'GET' || req.method === 'HEAD') &&
        admitted.framing.kind !== 'chunked' &&
        !(admitted.framing.kind === 'length' && admitted.framing.length > 0)
      );
    },

    async serve(req, res, admitted, run) {
      const key = keyOf(req, admitted);
      const fresh = wantsFresh(req.headers);
      const storable =
        cache !== undefined && req.method === 'GET' && cacheableRoute(admitted.target.path);
      if (storable && !fresh) {
        const entry = await lookup(req, key);
        if (entry !== undefined && !res.destroyed) {
          res.writeHead(entry.status, cachedHeaders(entry, Date.now()));
          res.end(entry.body);
          return;
        }
      }
      const current = flights.get(key);
      if (coalesce && current?.joinable) {
        current.add(res, 'lacework-proxy; fwd=uri-miss; collapsed');
        return;
      }
      const startedAt = Date.now();
      const limit = storable ? Math.max(cache?.maxBytes ?? 0, JOIN_LIMIT) : JOIN_LIMIT;
      const flight = new Flight(limit, decorate(storable), storable);
      const leave = () => {
        if (flights.get(key) === flight) flights.delete(key);
      };
      if (coalesce) {
        flights.set(key, flight);
        flight.once('unjoinable', leave);
      }
      flight.once('finish', () => {
        leave();
        if (storable) store(req, key, flight, startedAt);
      });
      flight.once('close', leave);
      flight.on('error', () => undefined);
      flight.add(res, `lacework-proxy; fwd=${fresh ? 'request' : 'uri-miss'}`);
      run(flight as unknown as ServerResponse);
    },
  };
}
