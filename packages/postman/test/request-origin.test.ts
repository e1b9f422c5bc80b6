import { createRequire } from 'node:module';
import { isApiPath, readHttpUrl } from '@lacework-auth/core/protocol';
import { describe, expect, it } from 'vitest';

// The script's URL rule is core's protocol module (readHttpUrl, isApiPath), bundled into the
// sandbox script as is. Checked here against the parsers newman really uses to send a request
// (postman-collection's Url, then postman-url-encoder's legacy Node URL) and against WHATWG URL
// (the Postman app's runtime can use either).

const DEFAULT_PORTS: Record<string, string> = { 'http:': '80', 'https:': '443' };

/** The origin of `url` by the script's rule, default port written out; undefined if not read. */
function strictOrigin(url: string): { origin: string; path: string } | undefined {
  const read = readHttpUrl(url);
  if (!read) return undefined;
  const port = read.port || DEFAULT_PORTS[`${read.scheme}:`];
  return { origin: `${read.scheme}://${read.host}:${port}`, path: read.path };
}

const require = createRequire(import.meta.url);
const runtime = createRequire(createRequire(require.resolve('newman')).resolve('postman-runtime'));
const sdk = runtime('postman-collection') as {
  Url: new (url: string) => { toString(forceProtocol: boolean): string };
};
const encoder = runtime('postman-url-encoder') as {
  toLegacyNodeUrl(url: string): {
    protocol: string | null;
    hostname: string | null;
    port: string | null;
  };
};

const DEFAULT_PORT = DEFAULT_PORTS;

/** The origin newman 6.2 connects to for a resolved URL string (runtime/lib/runner/util.js, requester/core.js). */
function newmanOrigin(url: string): string {
  const sent = encoder.toLegacyNodeUrl(new sdk.Url(url).toString(true));
  const protocol = sent.protocol ?? '';
  const host = (sent.hostname ?? '').toLowerCase().replace(/\.$/, '');
  const bracketed = host.includes(':') ? `[${host}]` : host;
  return `${protocol}//${bracketed}:${Number(sent.port ?? DEFAULT_PORT[protocol])}`;
}

function whatwgOrigin(url: string): string {
  const parsed = new URL(url);
  const host = parsed.hostname.replace(/\.$/, '');
  return `${parsed.protocol}//${host}:${parsed.port || DEFAULT_PORT[parsed.protocol]}`;
}

const BASE = 'https://acme.lacework.net:443';

function isLacework(url: string): boolean {
  const target = strictOrigin(url);
  return Boolean(target && target.origin === BASE && isApiPath(target.path));
}

describe('which resolved URLs are Lacework requests (base https://acme.lacework.net)', () => {
  it.each([
    'https://acme.lacework.net/api/v2/UserProfile',
    'https://acme.lacework.net:443/api/v2/UserProfile',
    'HTTPS://ACME.Lacework.NET/api/v2/UserProfile',
    'https://acme.lacework.net./api/v2/UserProfile',
    'https://acme.lacework.net/api/v2',
    'https://acme.lacework.net/api/v2?x=1#y',
    'https://acme.lacework.net:0443/api/v2/x',
    'HTTPS://ACME.lacework.net.:443/api/v2/Alerts',
  ])('%s: yes', (url) => {
    expect(isLacework(url)).toBe(true);
  });

  it.each([
    'https://hooks.example/x?src=https://acme.lacework.net',
    'https://hooks.example/https://acme.lacework.net/api/v2/x',
    'https://evil.com/acme.lacework.net/api/v2/x',
    'https://acme.lacework.net.evil.com/api/v2/x',
    'https://acme.lacework.net@evil.com/api/v2/x',
    'https://acme.lacework.net:443@evil.com/api/v2/x',
    'https://user:pw@acme.lacework.net/api/v2/x',
    'https://evil.com\\@acme.lacework.net/api/v2/x',
    'https://evil.com%2facme.lacework.net/api/v2/x',
    'https://acme.lacework.net\\@evil.com/api/v2/x',
    'https://acme.lacework.net:8443/api/v2/x',
    'http://acme.lacework.net/api/v2/x',
    'http://acme.lacework.net:443/api/v2/x',
    'acme.lacework.net/api/v2/x',
    '//acme.lacework.net/api/v2/x',
    ' https://acme.lacework.net/api/v2/x',
    'https://other.lacework.net/api/v2/x',
    'https://acme.lacework.net/api/v1/x',
    'https://acme.lacework.net/',
    'https://acme.lacework.net/api/v2/../../ui',
    'https://acme.lacework.net/api/v2/../ui',
    'https://evil.com\\@acme.lacework.net/',
    'http://[0:0:0:0:0:0:0:1]/api/v2/x',
    'https://acme.lacework.net/api/v2/%2e%2e/x',
    'https://acme.lacework.net/api/v2x',
    'https://[::1]/api/v2/x',
    'https://acme.lacework.net:99999/api/v2/x',
    'https://{{lw_base_url}}/api/v2/x',
  ])('%s: no', (url) => {
    expect(isLacework(url)).toBe(false);
  });

  it('an IPv6 literal base: same literal and port only', () => {
    const target = strictOrigin('http://[::1]:8080/api/v2/x');
    expect(target?.origin).toBe('http://[::1]:8080');
    expect(strictOrigin('http://[::1]:8081/api/v2/x')?.origin).not.toBe(target?.origin);
    expect(strictOrigin('http://[::1%25eth0]:8080/api/v2/x')).toBeUndefined();
  });
});

describe('the script reads a URL’s origin as newman and WHATWG URL do, or not at all', () => {
  const schemes = ['https://', 'http://', 'HTTPS://', 'ftp://', '', '//', 'https:/', 'https:\\\\'];
  const userinfo = ['', 'acme.lacework.net@', 'u:p@', 'acme.lacework.net:443@'];
  const hosts = [
    'acme.lacework.net',
    'ACME.lacework.net.',
    'evil.com',
    'acme.lacework.net.evil.com',
    '[::1]',
    '127.0.0.1',
    'evil.com\\',
    'evil.com%2f',
    'a b',
    'evil.com\t',
    '',
  ];
  const ports = ['', ':443', ':80', ':0443', ':', ':99999', ':8a'];
  const rests = [
    '',
    '/api/v2/x',
    '?@evil.com',
    '#@evil.com',
    '\\@evil.com',
    '/@evil.com',
    '@evil.com',
    '\\t.evil.com',
    ';x',
  ];

  it(`for every combination of ${schemes.length * userinfo.length * hosts.length * ports.length * rests.length} hostile pieces`, () => {
    let decided = 0;
    for (const scheme of schemes)
      for (const user of userinfo)
        for (const host of hosts)
          for (const port of ports)
            for (const rest of rests) {
              const url = `${scheme}${user}${host}${port}${rest}`;
              const target = strictOrigin(url);
              if (!target) continue;
              decided += 1;
              expect(newmanOrigin(url), url).toBe(target.origin);
              expect(whatwgOrigin(url), url).toBe(target.origin);
            }
    expect(decided).toBeGreaterThan(50);
  });
});
