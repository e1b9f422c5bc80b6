// The conformance table (cases.json) run against @lacework-auth/core: resolveBaseUrl, exchangeKey
// against a scripted token endpoint (any answer Lacework could give), refreshWindowMs.
import {
  caseOptions,
  caseOutcome,
  conformanceCases,
  requestComparison,
  scriptedAnswer,
  scriptedServer,
} from '@lacework-auth/test-kit/vitest';
import { describe, expect, it } from 'vitest';
import { resolveBaseUrl } from '../src/protocol/base-url.js';
import { refreshWindowMs } from '../src/protocol/refresh.js';
import { exchangeKey } from '../src/provider/exchange.js';

const cases = conformanceCases();

describe('conformance: base URLs (core)', () => {
  it.each(cases.baseUrl)('$setting $input', async ({ input, setting, expect: expected }) => {
    const outcome = await caseOutcome(() => ({
      url: resolveBaseUrl(input, { allowAnyHost: setting === 'baseUrl' }),
    }));
    expect(outcome).toEqual(expected);
  });
});

describe('conformance: the token exchange (core)', () => {
  it.each(cases.exchange)('$name', async (testCase) => {
    const server = await scriptedServer(() => scriptedAnswer(testCase));
    const started = Date.now();
    const outcome = await caseOutcome(async () => {
      const result = await exchangeKey({
        baseUrl: server.url,
        ...caseOptions(testCase),
        retry: 0,
        onWarning: () => undefined,
      });
      return {
        token: result.token,
        lifetimeSeconds: Math.round((result.expiresAt.getTime() - started) / 1000),
      };
    });
    if (testCase.expect.error) {
      expect(outcome).toEqual({ error: testCase.expect.error });
    } else {
      const expected = testCase.expect.result;
      expect(outcome).toMatchObject({ token: expected?.token });
      // The lifetime counts from the request: a busy machine may take a second or two.
      const lifetime = (outcome as { lifetimeSeconds: number }).lifetimeSeconds;
      expect(lifetime).toBeLessThanOrEqual(expected?.lifetimeSeconds ?? 0);
      expect(lifetime).toBeGreaterThanOrEqual((expected?.lifetimeSeconds ?? 0) - 5);
    }
    if (testCase.expect.sent === false) {
      expect(server.requests).toEqual([]);
      return;
    }
    expect(server.requests).toHaveLength(1);
    const sent = server.requests[0];
    expect(sent?.method).toBe('POST');
    expect(sent?.path).toBe('/api/v2/access/tokens');
    const { actual, expected } = requestComparison(testCase, {
      headers: sent?.headers ?? {},
      body: sent?.body,
    });
    expect(actual).toEqual(expected);
  });
});

describe('conformance: the refresh window (core)', () => {
  it.each(cases.refreshWindow)('$lifetimeMs ms → $windowMs ms', ({ lifetimeMs, windowMs }) => {
    expect(refreshWindowMs(lifetimeMs)).toBe(windowMs);
  });
});
