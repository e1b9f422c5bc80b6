import { describe, expect, it } from 'vitest';
import { isRejection, parseProxyTarget } from '../../src/proxy/path.js';

describe('parseProxyTarget accepts ordinary Lacework API paths', () => {
  it.each([
    ['/UserProfile', '/UserProfile', ''],
    ['/Alerts/search', '/Alerts/search', ''],
    ['/CloudAccounts?type=AwsCfg', '/CloudAccounts', '?type=AwsCfg'],
    ['/Entities/Users/search', '/Entities/Users/search', ''],
    ['/Echo/a-b_c.d~e', '/Echo/a-b_c.d~e', ''],
    ['/Echo/a:b', '/Echo/a:b', ''],
    ['/Echo?q=a%20b&x=[1]&y=a/b?c', '/Echo', '?q=a%20b&x=[1]&y=a/b?c'],
    ['/Echo/..a', '/Echo/..a', ''],
  ])('%s', (url, path, search) => {
    expect(parseProxyTarget(url)).toEqual({ path, search });
  });

  it.each([
    ['/Echo/%55serProfile', '/Echo/UserProfile'],
    ['/%55ser%50rofile', '/UserProfile'],
    ['/Echo/%2e%2Ea', '/Echo/..a'],
    ['/Echo/a%2Db%5fc%7Ed', '/Echo/a-b_c~d'],
  ])('brings %s to its one canonical spelling', (url, path) => {
    expect(parseProxyTarget(url)).toEqual({ path, search: '' });
  });
});

describe('parseProxyTarget refuses targets that could leave /api/v2/', () => {
  const hostile = [
    '',
    '*',
    'http://evil/x',
    'https://evil.example/api/v2/UserProfile',
    '//evil.example/x',
    '///evil.example',
    '/..',
    '/../x',
    '/./x',
    '/x/..',
    '/x/../../admin',
    '/x/.',
    '/..%2f..%2fadmin',
    '/..%2F..%2Fadmin',
    '/%2e%2e/x',
    '/%2E%2E/x',
    '/.%2e/x',
    '/%2e/x',
    '/%252e%252e/x',
    '/%25252e%25252e/x',
    '/x%2fy',
    '/x%5cy',
    '/x%5Cy',
    '/\\evil',
    '/x\\..\\..\\admin',
    '/@evil.com/',
    '/x@evil.com',
    '/x%40evil.com',
    '/http://evil/',
    '/http:%2f%2fevil/',
    '/evil.example:80/x',
    '/x//y',
    '/UserProfile%0d%0aX: y',
    '/UserProfile%0D%0AX:%20y',
    '/UserProfile\r\nX: y',
    '/UserProfile%00',
    '/UserProfile\u0000',
    '/UserProfile%7f',
    '/x?a=%0d%0aSet-Cookie:x',
    '/x?a=%00',
    '/x#frag',
    '/x?a#b',
    '/x y',
    '/x\ty',
    '/x%zz',
    '/x%2',
    '/%c0%ae%c0%ae/x',
    '/%ef%bc%8e%ef%bc%8e/x',
    '/caf\u00e9',
    '/..;/admin',
    '/x;jsessionid=1',
    '/x%3b/y',
    '/.. /x',
    '/..%20/x',
    '/...',
    `/x?${'a'.repeat(5000)}`,
    // Not canonical: refused rather than guessed at.
    '/',
    '/Alerts/',
    '/Echo/x%20y',
    '/Echo/x%21',
    '/Echo/x.',
    '/Echo/x%2e',
  ];

  it(`refuses ${hostile.length} hostile targets`, () => {
    expect(hostile.length).toBeGreaterThanOrEqual(25);
    for (const url of hostile) {
      const result = parseProxyTarget(url);
      expect(isRejection(result), `${JSON.stringify(url)} must be refused`).toBe(true);
    }
  });

  it('never quotes the target back in the reason', () => {
    const result = parseProxyTarget('/..%2fsecret-marker');
    expect(isRejection(result) && result.reason).not.toContain('secret-marker');
  });

  it('applies maxUrlLength', () => {
    expect(isRejection(parseProxyTarget(`/${'a'.repeat(100)}`, 50))).toBe(true);
    expect(isRejection(parseProxyTarget(`/${'a'.repeat(40)}`, 50))).toBe(false);
  });
});
