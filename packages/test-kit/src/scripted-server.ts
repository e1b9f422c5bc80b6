import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { OnFinished } from './cleanup.js';
import { listenFixture } from './listen.js';

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
 * only ever answer as Lacework does. Closed when the test finishes; `connections()` counts the
 * connections it accepted.
 */
export async function scriptedServerFixture(
  onFinished: OnFinished,
  answer: (request: RecordedRequest) => ScriptedAnswer,
): Promise<{ url: string; requests: RecordedRequest[]; connections: () => number }> {
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
  const { url, connections } = await listenFixture(onFinished, server);
  return { url, requests, connections };
}
