import type { AddressInfo } from 'node:net';
import net from 'node:net';
import type { TokenProvider } from '@lacework-auth/core';
import { afterAll, beforeEach } from 'vitest';
import { type Message, parseRequests } from './strict-http.js';
import { STUB_TOKEN } from './stub-upstream.js';

/** One TCP connection the raw upstream accepted: every byte it received, as received. */
export interface UpstreamConnection {
  bytes: Buffer;
  /** False once the connection closed. */
  open: boolean;
  closed: Promise<void>;
  /** Set when the strict parser refused what arrived (the connection was then closed). */
  error?: string;
}

/** What the raw upstream writes back for one request: raw bytes, or nothing (stay silent). */
export type RawResponder = (request: Message) => string | Buffer | undefined;

/** `200 OK` with `ok` (no body for HEAD), keep-alive. */
export const okResponse: RawResponder = (request) =>
  request.method === 'HEAD'
    ? 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Type: text/plain\r\n\r\n'
    : 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Type: text/plain\r\n\r\nok';

/**
 * A TCP server standing in for Lacework that records every byte it receives and reads requests
 * with the strict parser of `strict-http.ts`, answering each complete one with `respond`. Nothing
 * of Node's HTTP stack sits between the proxy and what is recorded here. Comes with a token
 * provider for the proxy (`token`, {@link STUB_TOKEN} by default; base URL this server).
 */
export async function rawUpstream(respond: RawResponder = okResponse, token = STUB_TOKEN) {
  const connections: UpstreamConnection[] = [];
  const requests: Message[] = [];
  let received = 0;
  let mark = 0;
  let responder = respond;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    let release!: () => void;
    const connection: UpstreamConnection = {
      bytes: Buffer.alloc(0),
      open: true,
      closed: new Promise((resolve) => {
        release = resolve;
      }),
    };
    connections.push(connection);
    let answered = 0;
    socket.on('data', (chunk) => {
      received += chunk.length;
      connection.bytes = Buffer.concat([connection.bytes, chunk]);
      const parsed = parseRequests(connection.bytes);
      for (const request of parsed.messages.slice(answered)) {
        requests.push(request);
        const out = responder(request);
        if (out === undefined) continue;
        socket.write(out);
        // An answer that says `Connection: close` (a body delimited by the close, say) ends here.
        const head = Buffer.from(out).toString('latin1').split('\r\n\r\n')[0] ?? '';
        if (/\r\nconnection: *close\r?$/im.test(head)) socket.end();
      }
      answered = parsed.messages.length;
      if (parsed.error !== undefined) {
        connection.error = parsed.error;
        socket.destroy();
      }
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      sockets.delete(socket);
      connection.open = false;
      release();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  let exchanges = 0;
  const provider: TokenProvider = {
    async getToken() {
      exchanges++;
      return { token, expiresAt: new Date(Date.now() + 3_600_000) };
    },
    async invalidate() {},
    baseUrl: url,
  };
  return {
    port,
    url,
    provider,
    connections,
    requests,
    exchanges: () => exchanges,
    /** Bytes received on all connections since the last {@link reset}. */
    received: () => received,
    /** Replaces the responder for the requests that follow. */
    respondWith(next: RawResponder) {
      responder = next;
    },
    /** Connections opened since the last {@link reset}. */
    opened: () => connections.length - mark,
    /** Forgets the requests and byte count so far (`connections` keeps every connection). */
    reset() {
      mark = connections.length;
      requests.length = 0;
      received = 0;
      responder = respond;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}

/**
 * A {@link rawUpstream} shared by the tests of a file (await it at the file's top level): reset
 * before each test, closed after the file.
 */
export async function sharedRawUpstream(respond: RawResponder = okResponse, token = STUB_TOKEN) {
  const upstream = await rawUpstream(respond, token);
  afterAll(upstream.close);
  beforeEach(() => upstream.reset());
  return upstream;
}

export interface RawExchange {
  /** Everything the server sent before it closed the connection. */
  bytes: Buffer;
  /** True when the server did not close within the wait; the client closed instead. */
  timedOut: boolean;
}

/**
 * Opens a TCP connection, writes `data` byte for byte (latin1 for strings), optionally
 * half-closes, and collects what comes back until the server closes (or `waitMs` passes).
 */
export function rawExchange(
  port: number,
  data: string | Buffer | (string | Buffer)[],
  { halfClose = false, waitMs = 10_000 }: { halfClose?: boolean; waitMs?: number } = {},
): Promise<RawExchange> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      socket.destroy();
    }, waitMs);
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      // A server that answers and closes while we still write gets a reset: that is an answer.
      if (error.code !== 'ECONNRESET' && error.code !== 'EPIPE') reject(error);
    });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ bytes: Buffer.concat(chunks), timedOut });
    });
    for (const part of Array.isArray(data) ? data : [data]) {
      socket.write(typeof part === 'string' ? Buffer.from(part, 'latin1') : part);
    }
    if (halfClose) socket.end();
  });
}
