import { describe, expect, it } from 'vitest';
import { type Decision, decide, type RequestState } from '../src/client/decision.js';
import { NetworkError, RequestTimeoutError } from '../src/protocol/errors.js';

const policy = { limit: 2, maxRetryAfter: 30_000, backoffLimit: 5_000 };
const state = (overrides: Partial<RequestState> = {}): RequestState => ({
  replaced: false,
  retries: 0,
  repeatable: true,
  policy,
  ...overrides,
});
const answer = (status: number, headers: Record<string, string> = {}) => ({
  status,
  headers: new Headers(headers),
});
const action = (decision: Decision) => decision.action;

describe('the decision after an attempt (shared by the client and the express proxy)', () => {
  it.each([200, 201, 204, 301, 400, 404, 409])('%i goes back to the caller', (status) => {
    expect(decide(answer(status), state())).toEqual({ action: 'return' });
  });

  it('401 and 403 replace the token once, then go back as a refusal', () => {
    for (const status of [401, 403]) {
      expect(action(decide(answer(status), state()))).toBe('replace-token');
      expect(decide(answer(status), state({ replaced: true }))).toEqual({
        action: 'return',
        refusedAfterReplace: true,
      });
    }
  });

  it('429 is retried for every method, 5xx only for requests that may be repeated', () => {
    expect(action(decide(answer(429), state({ repeatable: false })))).toBe('retry');
    for (const status of [500, 502, 503, 504]) {
      expect(action(decide(answer(status), state()))).toBe('retry');
      expect(action(decide(answer(status), state({ repeatable: false })))).toBe('return');
    }
    expect(action(decide(answer(501), state()))).toBe('return');
  });

  it('stops retrying at the limit', () => {
    expect(action(decide(answer(503), state({ retries: 2 })))).toBe('return');
  });

  it('waits as long as Retry-After / RateLimit-Reset ask, unless that is too long', () => {
    expect(decide(answer(429, { 'retry-after': '3' }), state())).toEqual({
      action: 'retry',
      waitMs: 3000,
    });
    expect(decide(answer(503, { 'ratelimit-reset': '2' }), state())).toEqual({
      action: 'retry',
      waitMs: 2000,
    });
    expect(action(decide(answer(429, { 'retry-after': '31' }), state()))).toBe('return');
  });

  it('retries a network error of a repeatable request, never a timeout', () => {
    const network = new NetworkError('down');
    expect(action(decide({ error: network }, state()))).toBe('retry');
    expect(decide({ error: network }, state({ repeatable: false }))).toEqual({
      action: 'fail',
      error: network,
    });
    const timeout = new RequestTimeoutError('slow');
    expect(decide({ error: timeout }, state())).toEqual({ action: 'fail', error: timeout });
  });
});
