import { inspect } from 'node:util';
import { CANARY_SECRET } from '@lacework-auth/test-kit/vitest';
import { describe, expect, it } from 'vitest';
import {
  ERROR_CODES,
  HttpError,
  isLaceworkAuthError,
  KeyRejectedError,
  LaceworkAuthError,
  NetworkError,
  sanitizeCause,
} from '../src/protocol/errors.js';

describe('LaceworkAuthError', () => {
  it('carries a stable code and context, and serializes to JSON', () => {
    const error = new KeyRejectedError('rejected', {
      status: 401,
      method: 'POST',
      url: 'https://a.lacework.net/x',
    });
    expect(error).toBeInstanceOf(LaceworkAuthError);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('KeyRejectedError');
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      name: 'KeyRejectedError',
      code: 'ERR_LW_KEY_REJECTED',
      message: 'rejected',
      status: 401,
      method: 'POST',
      url: 'https://a.lacework.net/x',
    });
  });

  it('isLaceworkAuthError narrows by code and recognizes errors from another copy', () => {
    const error = new HttpError('x', { status: 404 });
    expect(isLaceworkAuthError(error)).toBe(true);
    expect(isLaceworkAuthError(error, 'ERR_LW_HTTP')).toBe(true);
    expect(isLaceworkAuthError(error, 'ERR_LW_SERVER')).toBe(false);
    const foreign = Object.assign(new Error('other copy'), {
      name: 'HttpError',
      code: 'ERR_LW_HTTP',
    });
    expect(isLaceworkAuthError(foreign, 'ERR_LW_HTTP')).toBe(true);
    expect(isLaceworkAuthError(Object.assign(new Error('x'), { code: 'ENOENT' }))).toBe(false);
    expect(isLaceworkAuthError({ code: 'ERR_LW_HTTP', name: 'x' })).toBe(false);
    expect(isLaceworkAuthError(null)).toBe(false);
    expect(ERROR_CODES).toHaveLength(14);
  });

  it('sanitizeCause keeps name, message and code, and drops everything else', () => {
    const request = { headers: { 'x-lw-uaks': CANARY_SECRET } };
    const inner = Object.assign(new Error(`connect ECONNREFUSED (${CANARY_SECRET})`), {
      code: 'ECONNREFUSED',
      request,
    });
    const outer = Object.assign(new TypeError('fetch failed', { cause: inner }), { request });
    const clean = sanitizeCause(outer, [CANARY_SECRET]);
    const error = new NetworkError('could not reach', { cause: clean });
    const text = inspect(error, { depth: 10, showHidden: true }) + JSON.stringify(error);
    expect(text).not.toContain(CANARY_SECRET);
    expect(text).toContain('ECONNREFUSED');
    expect((clean.cause as { code?: string }).code).toBe('ECONNREFUSED');
    expect(clean.name).toBe('TypeError');
  });

  it('util.inspect shows the code and context', () => {
    const text = inspect(new HttpError('nope', { status: 418, method: 'GET' }));
    expect(text).toContain("code: 'ERR_LW_HTTP'");
    expect(text).toContain('status: 418');
  });
});
