import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { OnFinished } from './cleanup.js';

/** What the scripted server answers. */
export interface ScriptedAnswer {
  status: number;
  headers?: Record<string, string>;
  /** A string as is, anything else as JSON. */
  body?: unknown;
}

/** A request the scripted server received. */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * A loopback HTTP server that answers each request with `answer(request)` and records it: the
 * token endpoint of a conformance case (any status, headers and body), where the emulator would
 * only ever answer as Lacework does. Closed when the test finishes.
 */
export async function scriptedServerFixture(
  onFinished: OnFinished,
  answer: (request: RecordedRequest) => ScriptedAnswer,
): Promise<{ url: string; requests: RecordedRequest[] }> {
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request: RecordedRequest = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(request);
      const reply = answer(request);
      const body =
        reply.body === undefined
          ? ''
          : typeof reply.body === 'string'
            ? reply.body
            : JSON.stringify(reply.body);
      res.writeHead(reply.status, {
        ...(typeof reply.body === 'string' || reply.body === undefined
          ? {}
          : { 'content-type': 'application/json' }),
        ...reply.headers,
      });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onFinished(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, requests };
}
