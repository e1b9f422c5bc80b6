import http, { type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import net from 'node:net';
import { createTokenProvider, type TokenProviderOptions } from '@lacework-auth/core';
import { type Emulator, startEmulator } from '@lacework-auth/emulator';
import {
  keyOptions as kitKeyOptions,
  listenFixture,
  type OnFinished,
} from '@lacework-auth/test-kit';
import { onTestFinished } from 'vitest';

/** Starts the emulator on a random loopback port with the rate limit off. */
export function emulator(): Promise<Emulator> {
  return startEmulator({ port: 0, rateLimit: false });
}

/**
 * Core options for the emulator's first key, without a rate budget: these tests provoke 429s and
 * pass-through of Lacework's rate-limit answers on purpose, which the key's budget would rightly
 * hold back for the rest of the file. The budget has its own tests (rate-budget.test.ts).
 */
export function keyOptions(emu: Emulator) {
  const key = emu.keys[0];
  if (!key) throw new Error('the emulator has no key');
  return { baseUrl: emu.url, keyId: key.keyId, secret: key.secret, budget: false as const };
}

/**
 * A token provider for the emulator's first key with core's defaults (retries and the key's rate
 * budget included), ignoring the environment.
 */
export function providerFor(emu: Emulator, extra: Partial<TokenProviderOptions> = {}) {
  return createTokenProvider({ ...kitKeyOptions(emu), env: {}, ...extra });
}

/**
 * Serves `app` on a random loopback port, closed when the test finishes (pass `afterAll` for a
 * server the whole file shares). Returns its URL and port.
 */
export function serveApp(
  app: http.RequestListener,
  onFinished: OnFinished = onTestFinished,
  options: http.ServerOptions = {},
) {
  return listenFixture(onFinished, http.createServer(options, app));
}

/** Listens on a random loopback port; returns the base URL and a closer. */
export async function listen(app: http.RequestListener) {
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    server,
    port,
    url: `http://127.0.0.1:${port}`,
    close: () => closeServer(server),
  };
}

/** Closes a server, keep-alive connections included. */
export function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

/** A server that must never be reached: it counts every request and connection it sees. */
export async function evilServer() {
  const seen: string[] = [];
  let connections = 0;
  const server = http.createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    res.end('evil');
  });
  server.on('connection', () => {
    connections++;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    host: `127.0.0.1:${port}`,
    port,
    seen,
    connections: () => connections,
    close: () => closeServer(server),
  };
}

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  /** Everything received, status line and headers included. */
  raw: string;
}

/**
 * Sends `requestTarget` byte for byte (no client-side normalisation, unlike fetch or
 * superagent) and reads the whole answer.
 */
export function rawRequest(
  port: number,
  requestTarget: string,
  {
    method = 'GET',
    headers = {},
    body,
  }: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const raw = Buffer.concat(chunks).toString('latin1');
      const [head = '', ...rest] = raw.split('\r\n\r\n');
      const [statusLine = '', ...headerLines] = head.split('\r\n');
      const parsed: IncomingHttpHeaders = {};
      for (const line of headerLines) {
        const colon = line.indexOf(':');
        if (colon > 0) parsed[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
      }
      resolve({
        status: Number(statusLine.split(' ')[1] ?? 0),
        headers: parsed,
        body: rest.join('\r\n\r\n'),
        raw,
      });
    });
    const lines = [`${method} ${requestTarget} HTTP/1.1`, 'Host: 127.0.0.1'];
    for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
    // The answer is read until the server closes, so always ask it to.
    const connection = Object.keys(headers).find((name) => name.toLowerCase() === 'connection');
    if (connection === undefined) lines.push('Connection: close');
    else
      lines[lines.length - Object.keys(headers).length + Object.keys(headers).indexOf(connection)] =
        `Connection: close, ${headers[connection]}`;
    if (body !== undefined) lines.push(`Content-Length: ${Buffer.byteLength(body)}`);
    socket.write(`${lines.join('\r\n')}\r\n\r\n${body ?? ''}`, 'latin1');
  });
}
