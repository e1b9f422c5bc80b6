import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/http-server.js';
import { readHttpDataSource } from './data-source.js';
import { backoffMs } from './http-request.js';

// The real provider retries through go-retryablehttp (DefaultRetryPolicy + DefaultBackoff); these
// pin the stand-in to the same decisions, so a retry the e2e test sees is one Terraform's
// hashicorp/http would also make.

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const fastRetry = (attempts: number) => ({ attempts, min_delay_ms: 1, max_delay_ms: 5 });

/** Answers the given statuses in turn, then 200. */
async function statuses(...codes: number[]) {
  server = await startTestServer((_req, res, index) => {
    res.statusCode = codes[index] ?? 200;
    res.end(`answer ${index}`);
  });
  return server;
}

describe('retries like go-retryablehttp', () => {
  it('retries 5xx and resends the POST body each time', async () => {
    const s = await statuses(503, 500);
    const { state, diagnostics } = await readHttpDataSource({
      url: `${s.url}/t`,
      method: 'POST',
      request_body: '{"keyId":"K"}',
      retry: fastRetry(2),
    });
    expect(diagnostics).toEqual([]);
    expect(state?.status_code).toBe(200);
    expect(s.requests.map((r) => r.body)).toEqual(Array(3).fill('{"keyId":"K"}'));
  });

  it('gives up with an error, not the response, when retries run out', async () => {
    const s = await statuses(502, 502, 502, 502);
    const { state, diagnostics } = await readHttpDataSource({ url: s.url, retry: fastRetry(2) });
    expect(state).toBeNull();
    expect(diagnostics).toEqual([
      expect.objectContaining({
        severity: 'ERROR',
        summary: 'Error making request',
        detail: `Error making request: GET ${s.url} giving up after 3 attempt(s)`,
      }),
    ]);
    expect(s.requests).toHaveLength(3);
  });

  it('fails a 5xx even without a retry block (one attempt, then "giving up")', async () => {
    const s = await statuses(500);
    const { state, diagnostics } = await readHttpDataSource({ url: s.url, retry: null });
    expect(state).toBeNull();
    expect(diagnostics[0]?.detail).toContain('giving up after 1 attempt(s)');
    expect(s.requests).toHaveLength(1);
  });

  it('retries 429 but not 501 or 4xx: those come back as status_code', async () => {
    const s429 = await statuses(429);
    expect(
      (await readHttpDataSource({ url: s429.url, retry: fastRetry(1) })).state?.status_code,
    ).toBe(200);
    await s429.close();
    for (const code of [501, 401, 404]) {
      const s = await statuses(code);
      const { state } = await readHttpDataSource({ url: s.url, retry: fastRetry(3) });
      expect(state?.status_code).toBe(code);
      expect(s.requests).toHaveLength(1);
      await s.close();
    }
    server = undefined;
  });

  it('retries connection errors', async () => {
    // A port that accepted and then closed: nothing listens there any more.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as { port: number };
    await new Promise((resolve) => probe.close(resolve));
    const url = `http://127.0.0.1:${port}/api/v2/access/tokens`;
    const { diagnostics } = await readHttpDataSource({ url, method: 'POST', retry: fastRetry(2) });
    expect(diagnostics[0]?.detail).toMatch(
      new RegExp(`giving up after 3 attempt\\(s\\): Post "${url}": .*ECONNREFUSED`),
    );
  });

  it('times each attempt out after request_timeout_ms, in the real wording', async () => {
    server = await startTestServer(() => {
      // never answers
    });
    const { diagnostics } = await readHttpDataSource({
      url: server.url,
      request_timeout_ms: 100,
      retry: fastRetry(1),
    });
    expect(diagnostics[0]?.detail).toMatch(
      /^request exceeded the specified timeout: 100ms, err: GET .* giving up after 2 attempt\(s\): Get ".*": context deadline exceeded/,
    );
    expect(server.requests).toHaveLength(2);
  });

  it('backs off min * 2^n capped at max, and honours Retry-After on 429/503', () => {
    expect([0, 1, 2, 3, 4].map((n) => backoffMs(100, 1000, n))).toEqual([100, 200, 400, 800, 1000]);
    const answer = (status: number, retryAfter: string) => ({
      status,
      headers: { 'Retry-After': retryAfter },
      body: Buffer.alloc(0),
    });
    expect(backoffMs(100, 1000, 0, answer(503, '3'))).toBe(3000);
    expect(backoffMs(100, 1000, 0, answer(429, '0'))).toBe(0);
    expect(backoffMs(100, 1000, 0, answer(500, '3'))).toBe(100);
  });
});
