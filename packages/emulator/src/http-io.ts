import type { IncomingMessage, ServerResponse } from 'node:http';
import { STATUS_CODES } from 'node:http';
import { encodeBody, type Reply } from './reply.js';
import { redactBody } from './stats.js';

/** Largest request body read (1 MiB); larger ones get 413. */
export const MAX_BODY = 1024 * 1024;

/** The request body, or `undefined` when it is larger than `MAX_BODY`. */
export function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY) chunks.push(c);
    });
    req.on('end', () =>
      resolve(size > MAX_BODY ? undefined : Buffer.concat(chunks).toString('utf8')),
    );
    req.on('error', reject);
  });
}

/** A request body as the log keeps it: redacted JSON, or just its size. */
export function logBody(raw: string): unknown {
  if (raw === '') return undefined;
  try {
    return redactBody(JSON.parse(raw));
  } catch {
    return `[${Buffer.byteLength(raw)} bytes, not JSON]`;
  }
}

/** Merges header objects; later names win over earlier ones regardless of case. */
export function mergeHeaders(
  ...sets: (Record<string, string> | undefined)[]
): Record<string, string> {
  const merged = new Map<string, [string, string]>();
  for (const set of sets) {
    for (const [name, value] of Object.entries(set ?? {}))
      merged.set(name.toLowerCase(), [name, value]);
  }
  return Object.fromEntries(merged.values());
}

/** Writes a reply; `malformed` cuts the body in half so it no longer parses. */
export function writeReply(
  res: ServerResponse,
  method: string,
  reply: Reply,
  extraHeaders: Record<string, string> | undefined,
  malformed: boolean,
): void {
  if (reply.status === 204 || reply.status === 304) {
    res.writeHead(
      reply.status,
      STATUS_CODES[reply.status],
      mergeHeaders(reply.headers, extraHeaders),
    );
    res.end();
    return;
  }
  const { text, contentType } = encodeBody(reply.body);
  const payload = malformed ? text.slice(0, Math.max(1, Math.floor(text.length / 2))) : text;
  const headers = mergeHeaders({ 'Content-Type': contentType }, reply.headers, extraHeaders, {
    'Content-Length': String(Buffer.byteLength(payload)),
  });
  res.writeHead(reply.status, STATUS_CODES[reply.status], headers);
  res.end(method === 'HEAD' ? undefined : payload);
}

/**
 * Writes the status, headers and the first half of `reply`'s body, and never ends the response:
 * the client waits for the announced rest until it gives up (the emulator's `close()` destroys the
 * socket too).
 */
export function writeStalledReply(
  res: ServerResponse,
  reply: Reply,
  extraHeaders: Record<string, string> | undefined,
): void {
  const { text, contentType } = encodeBody(reply.body);
  const headers = mergeHeaders({ 'Content-Type': contentType }, reply.headers, extraHeaders, {
    'Content-Length': String(Buffer.byteLength(text)),
  });
  res.writeHead(reply.status, STATUS_CODES[reply.status], headers);
  // At least one byte, so the client has started reading the body when the stall begins.
  res.write(text.slice(0, Math.max(1, Math.floor(text.length / 2))));
}
