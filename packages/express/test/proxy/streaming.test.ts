import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { laceworkProxy } from '../../src/proxy/proxy.js';
import { listen } from '../support/servers.js';
import { STUB_TOKEN, stubUpstream } from '../support/stub-upstream.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

async function proxyTo(
  handler: Parameters<typeof stubUpstream>[0],
  options: Parameters<typeof laceworkProxy>[0] = {},
) {
  const upstream = await stubUpstream(handler);
  const app = express().use(
    '/lw',
    laceworkProxy({ tokenProvider: upstream.provider, allow: ['**'], ...options }),
  );
  const proxy = await listen(app);
  cleanups.push(upstream.close, proxy.close);
  return { upstream, proxy };
}

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');
const withTimeout = (promise: Promise<void>, ms: number) =>
  Promise.race([promise, new Promise<void>((resolve) => setTimeout(resolve, ms))]);

describe('laceworkProxy streams bodies instead of buffering them', () => {
  it('delivers the first response chunk before the upstream finished the body', async () => {
    const clientGotFirst = deferred();
    let upstreamEnded = false;
    const { proxy } = await proxyTo((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      // A buffering proxy would never pass the first part on, and this would wait the full 3 s.
      // (The proxy holds back the last `maxSpan - 1` bytes, 20 per token character, to mask a
      // split token: hence 4 KiB.)
      res.write(`first;${'x'.repeat(4096)}`);
      void withTimeout(clientGotFirst.promise, 3000).then(() => {
        upstreamEnded = true;
        res.end('second');
      });
    });
    const result = await new Promise<{ firstBeforeEnd: boolean; body: string }>(
      (resolve, reject) => {
        http
          .get(`${proxy.url}/lw/Stream`, (res) => {
            let body = '';
            let firstBeforeEnd: boolean | undefined;
            res.setEncoding('utf8');
            res.on('data', (chunk: string) => {
              body += chunk;
              firstBeforeEnd ??= !upstreamEnded;
              clientGotFirst.resolve();
            });
            res.on('end', () => resolve({ firstBeforeEnd: firstBeforeEnd ?? false, body }));
          })
          .on('error', reject);
      },
    );
    expect(result.body).toBe(`first;${'x'.repeat(4096)}second`);
    expect(result.firstBeforeEnd).toBe(true);
  });

  it('delivers the first request chunk upstream before the client finished sending', async () => {
    const upstreamGotFirst = deferred();
    let clientEnded = false;
    let firstBeforeClientEnd: boolean | undefined;
    const { proxy } = await proxyTo((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => {
        body += chunk;
        firstBeforeClientEnd ??= !clientEnded;
        upstreamGotFirst.resolve();
      });
      req.on('end', () => res.end(body));
    });
    const body = await new Promise<string>((resolve, reject) => {
      const req = http.request(`${proxy.url}/lw/Upload`, { method: 'POST' }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          text += c;
        });
        res.on('end', () => resolve(text));
      });
      req.on('error', reject);
      req.write('part1;');
      void withTimeout(upstreamGotFirst.promise, 3000).then(() => {
        clientEnded = true;
        req.end('part2');
      });
    });
    expect(body).toBe('part1;part2');
    expect(firstBeforeClientEnd).toBe(true);
  });

  it('moves multi-megabyte bodies both ways intact', async () => {
    const upload = randomBytes(3 * 1024 * 1024);
    const download = randomBytes(5 * 1024 * 1024);
    const { proxy } = await proxyTo(
      (req, res) => {
        const hash = createHash('sha256');
        req.on('data', (c: Buffer) => hash.update(c));
        req.on('end', () => {
          res.writeHead(200, {
            'x-upload-sha256': hash.digest('hex'),
            'content-length': download.length,
          });
          res.end(download);
        });
      },
      { maxBodySize: 4 * 1024 * 1024 },
    );
    const { headers, received } = await new Promise<{
      headers: http.IncomingHttpHeaders;
      received: Buffer;
    }>((resolve, reject) => {
      const req = http.request(`${proxy.url}/lw/Big`, { method: 'PUT' }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ headers: res.headers, received: Buffer.concat(chunks) }));
      });
      req.on('error', reject);
      req.end(upload);
    });
    expect(headers['x-upload-sha256']).toBe(sha256(upload));
    expect(received.length).toBe(download.length);
    expect(sha256(received)).toBe(sha256(download));
  });

  it('masks the token in a response body even when it is split across chunks', async () => {
    const half = STUB_TOKEN.length / 2;
    const { proxy } = await proxyTo((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write(`{"echo":"${STUB_TOKEN.slice(0, half)}`);
      setTimeout(
        () => res.end(`${STUB_TOKEN.slice(half)}","auth":"${req.headers.authorization}"}`),
        20,
      );
    });
    const res = await fetch(`${proxy.url}/lw/Reflect`);
    const text = await res.text();
    expect(text).not.toContain(STUB_TOKEN);
    expect(JSON.parse(text)).toEqual({
      echo: '*'.repeat(STUB_TOKEN.length),
      auth: `Bearer ${'*'.repeat(STUB_TOKEN.length)}`,
    });
  });

  it('aborts the upstream request when the client goes away mid-upload', async () => {
    const upstreamGotData = deferred();
    const upstreamClosed = deferred();
    let completed: boolean | undefined;
    const { proxy } = await proxyTo((req) => {
      req.once('data', () => upstreamGotData.resolve());
      req.once('close', () => {
        completed = req.complete;
        upstreamClosed.resolve();
      });
      req.resume();
    });
    const req = http.request(`${proxy.url}/lw/Upload`, { method: 'POST' });
    req.on('error', () => undefined);
    req.write('x'.repeat(1000));
    await withTimeout(upstreamGotData.promise, 3000);
    req.destroy();
    await withTimeout(upstreamClosed.promise, 3000);
    expect(completed).toBe(false);
  });

  it('stops reading from the upstream when the client goes away mid-download', async () => {
    const upstreamClosed = deferred();
    let finished: boolean | undefined;
    const { proxy } = await proxyTo((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      const timer = setInterval(() => res.write(Buffer.alloc(16 * 1024)), 5);
      res.once('close', () => {
        clearInterval(timer);
        finished = res.writableFinished;
        upstreamClosed.resolve();
      });
    });
    await new Promise<void>((resolve, reject) => {
      http
        .get(`${proxy.url}/lw/Download`, (res) => {
          res.once('data', () => {
            res.destroy();
            resolve();
          });
        })
        .on('error', reject);
    });
    await withTimeout(upstreamClosed.promise, 3000);
    expect(finished).toBe(false);
  });
});
