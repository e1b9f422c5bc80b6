import { readFileSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TokenProvider } from '@lacework-auth/core';
import express from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { laceworkProxy } from '../../src/proxy/proxy.js';

const tls = (name: string) => readFileSync(new URL(`../support/tls/${name}`, import.meta.url));
const cert = tls('localhost-cert.pem');
const TOKEN = 'https-test-token-5c0ffee5c0ffee5c0ffee';

let server: https.Server;
let baseUrl: string;
const seen: {
  url: string | undefined;
  authorization: string | undefined;
  host: string | undefined;
}[] = [];

beforeAll(async () => {
  server = https.createServer({ key: tls('localhost-key.pem'), cert }, (req, res) => {
    seen.push({ url: req.url, authorization: req.headers.authorization, host: req.headers.host });
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ over: 'tls', path: req.url }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const provider = (): TokenProvider => ({
  getToken: async () => ({ token: TOKEN, expiresAt: new Date(Date.now() + 60_000) }),
  invalidate: async () => {},
  baseUrl,
});

describe('laceworkProxy over HTTPS', () => {
  it('forwards to an https: base URL, verifying the certificate against the given agent', async () => {
    const agent = new https.Agent({ ca: cert, keepAlive: true });
    const app = express().use('/lw', laceworkProxy({ tokenProvider: provider(), agent }));
    const res = await request(app).get('/lw/UserProfile?x=1').expect(200);
    expect(res.body).toEqual({ over: 'tls', path: '/api/v2/UserProfile?x=1' });
    expect(seen.at(-1)).toEqual({
      url: '/api/v2/UserProfile?x=1',
      authorization: `Bearer ${TOKEN}`,
      host: new URL(baseUrl).host,
    });
    agent.destroy();
  });

  it('refuses an untrusted certificate with 502 instead of sending the token', async () => {
    const before = seen.length;
    const app = express().use('/lw', laceworkProxy({ tokenProvider: provider() }));
    const res = await request(app).get('/lw/UserProfile');
    expect(res.status).toBe(502);
    expect(res.body.error.code).toBe('ERR_LW_NETWORK');
    expect(seen.length).toBe(before);
  });
});
