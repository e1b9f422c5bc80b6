import { describe, expect, it } from 'vitest';
import { compileAllowList } from '../../src/proxy/allow-list.js';

describe('compileAllowList', () => {
  it('allows everything when no rules are given', () => {
    expect(compileAllowList(undefined)).toBeUndefined();
  });

  it('matches "METHOD path" strings', () => {
    const allow = compileAllowList(['GET UserProfile', 'POST /Alerts/search']);
    expect(allow?.('GET', '/UserProfile')).toEqual({ allowed: true });
    expect(allow?.('HEAD', '/UserProfile')).toEqual({ allowed: true });
    expect(allow?.('GET', '/UserProfile/')).toEqual({ allowed: true });
    expect(allow?.('POST', '/Alerts/search')).toEqual({ allowed: true });
    expect(allow?.('DELETE', '/UserProfile')).toEqual({
      allowed: false,
      status: 405,
      allow: ['GET', 'HEAD'],
    });
    expect(allow?.('GET', '/AccessKeys')).toEqual({ allowed: false, status: 403 });
    expect(allow?.('GET', '/UserProfileX')).toEqual({ allowed: false, status: 403 });
    expect(allow?.('GET', '/UserProfile/x')).toEqual({ allowed: false, status: 403 });
  });

  it('treats a path without methods as any method', () => {
    const allow = compileAllowList(['Echo/**']);
    expect(allow?.('PATCH', '/Echo/a/b')).toEqual({ allowed: true });
    expect(allow?.('PATCH', '/Echo')).toEqual({ allowed: true });
    expect(allow?.('PATCH', '/Echoes')).toEqual({ allowed: false, status: 403 });
  });

  it('supports comma-separated methods and single-segment stars', () => {
    const allow = compileAllowList(['GET,POST Entities/*/search']);
    expect(allow?.('POST', '/Entities/Users/search')).toEqual({ allowed: true });
    expect(allow?.('POST', '/Entities/Users/x/search')).toEqual({ allowed: false, status: 403 });
    expect(allow?.('PUT', '/Entities/Users/search')).toMatchObject({ status: 405 });
  });

  it('supports ** in the middle and at the start', () => {
    const allow = compileAllowList(['GET a/**/z', 'GET **/search']);
    expect(allow?.('GET', '/a/z')).toEqual({ allowed: true });
    expect(allow?.('GET', '/a/b/c/z')).toEqual({ allowed: true });
    expect(allow?.('GET', '/x/y/search')).toEqual({ allowed: true });
    expect(allow?.('GET', '/search')).toEqual({ allowed: true });
    expect(allow?.('GET', '/a/b')).toEqual({ allowed: false, status: 403 });
  });

  it('escapes regular-expression characters in globs', () => {
    const allow = compileAllowList(['GET a.b']);
    expect(allow?.('GET', '/a.b')).toEqual({ allowed: true });
    expect(allow?.('GET', '/aXb')).toEqual({ allowed: false, status: 403 });
  });

  it('accepts { method, path: RegExp } rules, tested without the leading slash', () => {
    const allow = compileAllowList([{ method: 'GET', path: /^UserProfile$/g }]);
    // A global RegExp would alternate between match and no match because of lastIndex.
    for (let i = 0; i < 3; i++) expect(allow?.('GET', '/UserProfile')).toEqual({ allowed: true });
    expect(allow?.('POST', '/UserProfile')).toMatchObject({ status: 405 });
  });

  it('accepts method lists and "*"', () => {
    const allow = compileAllowList([
      { method: ['post', 'put'], path: 'Alerts/*' },
      { method: '*', path: 'Echo' },
    ]);
    expect(allow?.('PUT', '/Alerts/x')).toEqual({ allowed: true });
    expect(allow?.('TRACE', '/Echo')).toEqual({ allowed: true });
  });

  it.each([
    [[42], /`allow\[0\]`/],
    [['GET '], /`allow\[0\]`/],
    [[{ path: '' }], /`allow\[0\]\.path`/],
    [[{ method: 'G E T', path: 'x' }], /`allow\[0\]\.method`/],
    [[{ method: [], path: 'x' }], /`allow\[0\]\.method`/],
    [['GET ok', 'GET a**b'], /`allow\[1\]`/],
  ])('refuses bad rules %j', (rules, message) => {
    expect(() => compileAllowList(rules as never)).toThrow(message);
  });

  it('refuses a non-array', () => {
    expect(() => compileAllowList('GET x' as never)).toThrow(/`allow`/);
  });
});
