import { describe, expect, it } from 'vitest';
import { isLoopbackHost, resolveBaseUrl } from '../src/protocol/base-url.js';
import { isLaceworkAuthError } from '../src/protocol/errors.js';
import { thrownBy } from './support/emulator.js';

describe('resolveBaseUrl', () => {
  it.each([
    ['acme', 'https://acme.lacework.net'],
    ['ACME', 'https://acme.lacework.net'],
    ['  acme  ', 'https://acme.lacework.net'],
    ['acme.lacework.net', 'https://acme.lacework.net'],
    ['acme.lacework.net.', 'https://acme.lacework.net'],
    ['https://acme.lacework.net', 'https://acme.lacework.net'],
    ['https://acme.lacework.net/', 'https://acme.lacework.net'],
    ['https://acme.lacework.net/api/v2/x?y=1#z', 'https://acme.lacework.net'],
    ['acme.fra.lacework.net', 'https://acme.fra.lacework.net'],
    ['https://acme.fra.lacework.net/ui', 'https://acme.fra.lacework.net'],
    ['x.y.corp.lacework.net', 'https://x.y.corp.lacework.net'],
    ['https://acme.lacework.net:8443', 'https://acme.lacework.net:8443'],
    ['my-org', 'https://my-org.lacework.net'],
    ['acme\n', 'https://acme.lacework.net'],
  ])('%s → %s', (input, expected) => {
    expect(resolveBaseUrl(input)).toBe(expected);
  });

  it.each([
    ['http://127.0.0.1:8080', 'http://127.0.0.1:8080'],
    ['http://127.1.2.3:1/x', 'http://127.1.2.3:1'],
    ['http://localhost:3000', 'http://localhost:3000'],
    ['http://[::1]:3000', 'http://[::1]:3000'],
    ['https://proxy.corp.example', 'https://proxy.corp.example'],
    ['https://proxy.corp.example:8443/base', 'https://proxy.corp.example:8443'],
  ])('with allowAnyHost: %s → %s', (input, expected) => {
    expect(resolveBaseUrl(input, { allowAnyHost: true })).toBe(expected);
  });

  it.each([
    ['', /empty/],
    ['   ', /empty/],
    ['a.b.c.d.lacework.net', /too many labels/],
    ['-acme', /not a valid Lacework account/],
    ['acme_1', /not a valid Lacework account|not a Lacework account/],
    ['ac me', /spaces/],
    ['ac\r\nme', /control characters/],
    ['http://acme.lacework.net', /http:/],
    ['ftp://acme.lacework.net', /ftp/],
    ['https://user:pw@acme.lacework.net', /user info/],
    ['acme.example.com', /not a \.lacework\.net host.*`baseUrl`/],
    ['https://evil.example', /not a \.lacework\.net host/],
    ['https://acme.lacework.net.evil.example', /not a \.lacework\.net host/],
    ['http://127.0.0.1:8080', /not a \.lacework\.net host/],
    ['https://', /not a Lacework account name or URL/],
    ['%%%', /not a/],
  ])('rejects %j', (input, message) => {
    const error = thrownBy(() => resolveBaseUrl(input));
    expect(isLaceworkAuthError(error, 'ERR_LW_INVALID_BASE_URL')).toBe(true);
    expect(error.message).toMatch(message);
  });

  it.each([
    'http://example.com',
    'http://10.0.0.1',
    'http://127.0.0.1.nip.io',
    'http://localhost.evil.example',
    'http://128.0.0.1',
  ])('refuses http: for non-loopback %s even with allowAnyHost', (input) => {
    const error = thrownBy(() => resolveBaseUrl(input, { allowAnyHost: true }));
    expect(error.code).toBe('ERR_LW_INVALID_BASE_URL');
    expect(error.message).toMatch(/clear text/);
  });

  it.each([
    ['https://acme.lacework.net@evil.example', /user info/],
    ['https://@evil.example', /user info/],
    ['https://:@evil.example', /user info/],
    ['acme.lacework.net@evil.example', /user info/],
    ['https://acme.lacework.net\\@evil.example', /backslash/],
    ['https://evil.example\\.acme.lacework.net', /backslash/],
    ['https://acme%2elacework.net', /rewrite/],
    ['https://evil.example%2f.lacework.net', /rewrite|not a Lacework/],
    ['https://ａcme.lacework.net', /non-ASCII/],
    ['https://acme。lacework。net', /non-ASCII/],
    ['https://аcme.lacework.net', /non-ASCII/],
    ['https://xn--cme-8cd.lacework.net', /internationalised \(xn--\) label/],
    ['https://xn--80ak6aa92e.example', /internationalised \(xn--\) label/],
    ['acme.lacework.net..', /valid host name/],
    ['http://127.1:8080', /rewrite/],
    ['http://0x7f000001', /rewrite/],
    ['https://under_score.example', /valid host name/],
    ['https://evil.example\u200b.lacework.net', /non-ASCII/],
    ['//evil.example', /rewrite|not a/],
  ])(
    'refuses %j, which parsers read differently from how it looks, even with allowAnyHost',
    (input, message) => {
      for (const allowAnyHost of [false, true]) {
        const error = thrownBy(() => resolveBaseUrl(input, { allowAnyHost }));
        expect(error.code).toBe('ERR_LW_INVALID_BASE_URL');
        if (allowAnyHost) expect(error.message).toMatch(message);
      }
    },
  );

  it.each(['localhost', 'localhost:8080', '127.0.0.1:8080', '[::1]:3000'])(
    'refuses the loopback host %j without a scheme (https://localhost is rarely what was meant)',
    (input) => {
      for (const options of [{ allowAnyHost: true }, { allowLoopback: true }, {}]) {
        const error = thrownBy(() => resolveBaseUrl(input, options));
        expect(error.code).toBe('ERR_LW_INVALID_BASE_URL');
        expect(error.message).toMatch(
          options.allowAnyHost || options.allowLoopback ? /without a scheme/ : /./,
        );
      }
    },
  );

  it('accepts loopback hosts with allowLoopback, and other hosts only with allowAnyHost', () => {
    expect(resolveBaseUrl('http://127.0.0.1:8080', { allowLoopback: true })).toBe(
      'http://127.0.0.1:8080',
    );
    expect(resolveBaseUrl('https://localhost', { allowLoopback: true })).toBe('https://localhost');
    const error = thrownBy(() =>
      resolveBaseUrl('https://proxy.example', { allowLoopback: true, otherHostHint: 'Set X.' }),
    );
    expect(error.message).toMatch(/not a \.lacework\.net host\. Set X\.$/);
  });

  it('names the setting it is given in messages', () => {
    const error = thrownBy(() => resolveBaseUrl('ac me', { setting: 'LW_ACCOUNT' }));
    expect(error.message).toBe(
      'LW_ACCOUNT (a value of 5 characters, not shown) contains spaces or control characters.',
    );
  });

  it('rejects non-strings', () => {
    expect(thrownBy(() => resolveBaseUrl(42 as never)).code).toBe('ERR_LW_INVALID_BASE_URL');
  });

  it('knows loopback hosts', () => {
    for (const host of ['127.0.0.1', '127.255.255.254', 'localhost', '::1', '[::1]']) {
      expect(isLoopbackHost(host), host).toBe(true);
    }
    for (const host of [
      '128.0.0.1',
      '127.0.0',
      '127.0.0.1.nip.io',
      '0.0.0.0',
      'localhost.example',
      '::2',
    ]) {
      expect(isLoopbackHost(host), host).toBe(false);
    }
  });
});
