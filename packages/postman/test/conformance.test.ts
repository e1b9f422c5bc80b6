// The conformance table (packages/core/conformance/cases.json) run against the sandbox script
// inside real newman: the generated collection, the bundled script, a scripted token endpoint on
// loopback. What the script did is read from what reached the server and from the run's failures.
import {
  CONFORMANCE_KEY,
  caseKey,
  conformanceCases,
  type ExchangeCase,
  expectedRequest,
  scriptedAnswer,
} from '@lacework-auth/test-kit';
import { scriptedServer } from '@lacework-auth/test-kit/vitest';
import { describe, expect, it } from 'vitest';
import { laceworkCollection } from './support/collections.js';
import { runNewman } from './support/runners.js';

const cases = conformanceCases();

// The failing test the script reports, by the error code the table expects.
const CODES: Record<string, string> = {
  'API key rejected': 'ERR_LW_KEY_REJECTED',
  'rate limited': 'ERR_LW_RATE_LIMITED',
  'Lacework server error': 'ERR_LW_SERVER',
  'invalid expiry time': 'ERR_LW_INVALID_OPTION',
  'invalid base URL': 'ERR_LW_INVALID_BASE_URL',
  'Lacework unreachable': 'ERR_LW_NETWORK',
  'missing variable': 'ERR_LW_MISSING_CREDENTIALS',
};

/** The error codes of the script's failing tests in a run (`Lacework auth: <summary>`). */
function failureCodes(summary: unknown): string[] {
  const failures = (summary as { run: { failures: { error: { test?: string } }[] } }).run.failures;
  return failures
    .map((failure) => failure.error.test ?? '')
    .filter((test) => test.startsWith('Lacework auth: '))
    .map((test) => CODES[test.slice('Lacework auth: '.length)] ?? 'ERR_LW_BAD_RESPONSE');
}

describe('conformance: base URLs (the sandbox script in newman)', () => {
  it.each(cases.baseUrl)('$setting $input', async ({ input, setting, expect: expected }) => {
    const server = await scriptedServer(() => ({ status: 200, body: {} }));
    const collection = laceworkCollection([
      // Meant for Lacework: the script decides on its URL, then refuses the expiry time (0), so
      // nothing is sent to any host the case names.
      { name: 'lacework', request: { method: 'GET', url: '{{lw_base_url}}/api/v2/UserProfile' } },
      // Not Lacework (loopback, not the base URL): shows the base URL the script settled on.
      { name: 'echo', request: { method: 'GET', url: `${server.url}/echo?base={{lw_base_url}}` } },
    ]);
    const result = await runNewman({
      collection,
      envVar: {
        lw_base_url: input,
        lw_key_id: CONFORMANCE_KEY.keyId,
        lw_secret: CONFORMANCE_KEY.secret,
        lw_expiry_time: '0',
        // `baseUrl`: any host the user vouches for; `account`: *.lacework.net (and loopback).
        ...(setting === 'baseUrl' ? { lw_allow_any_host: 'true' } : {}),
      },
      ignoreRedirects: true,
    });
    const codes = failureCodes(result.summary);
    if ('error' in expected) {
      expect(codes).toEqual([expected.error]);
    } else {
      // Valid: the request fails on the expiry time, not on its URL.
      expect(codes).toEqual(['ERR_LW_INVALID_OPTION']);
      const echoed = new URL(server.requests[0]?.path ?? '/', server.url).searchParams.get('base');
      expect(echoed).toBe(expected.url);
    }
    // Nothing but the echo reached anything: the API request never went out.
    expect(server.requests.map((request) => request.path.split('?')[0])).toEqual(['/echo']);
  });
});

function envFor(testCase: ExchangeCase, baseUrl: string): Record<string, string> {
  const key = caseKey(testCase);
  const env: Record<string, string> = {
    lw_base_url: baseUrl,
    lw_key_id: key.keyId,
    lw_secret: key.secret,
  };
  const { subAccount, orgAccess, expiryTime } = testCase.input;
  if (subAccount !== undefined) env.lw_sub_account = subAccount;
  if (orgAccess !== undefined) env.lw_org_access = String(orgAccess);
  if (expiryTime !== undefined) env.lw_expiry_time = String(expiryTime);
  return env;
}

describe('conformance: the token exchange (the sandbox script in newman)', () => {
  it.each(cases.exchange)('$name', async (testCase) => {
    const server = await scriptedServer((request) =>
      request.path === '/api/v2/access/tokens'
        ? scriptedAnswer(testCase)
        : { status: 200, body: { data: [] } },
    );
    const collection = laceworkCollection([
      { name: 'profile', request: { method: 'GET', url: '{{lw_base_url}}/api/v2/UserProfile' } },
      {
        name: 'expiry',
        request: {
          method: 'GET',
          url: '{{lw_base_url}}/echo?expires={{lw_token_expires_at}}&issued={{lw_token_issued_at}}',
        },
      },
    ]);
    // As the README says to run it: newman follows redirects of pm.sendRequest otherwise.
    const result = await runNewman({
      collection,
      envVar: envFor(testCase, server.url),
      ignoreRedirects: true,
    });
    const tokenRequests = server.requests.filter((r) => r.path === '/api/v2/access/tokens');
    const profile = server.requests.find((r) => r.path === '/api/v2/UserProfile');
    if (testCase.expect.error) {
      expect(failureCodes(result.summary)).toEqual([testCase.expect.error]);
      expect(profile).toBeUndefined();
    } else {
      const expected = testCase.expect.result;
      expect(failureCodes(result.summary)).toEqual([]);
      expect(profile?.headers.authorization).toBe(`Bearer ${expected?.token}`);
      const echo = server.requests.find((r) => r.path.startsWith('/echo'));
      const params = new URL(echo?.path ?? '/', server.url).searchParams;
      const lifetime = Math.round(
        (Date.parse(params.get('expires') ?? '') - Date.parse(params.get('issued') ?? '')) / 1000,
      );
      expect(lifetime).toBeLessThanOrEqual(expected?.lifetimeSeconds ?? 0);
      expect(lifetime).toBeGreaterThanOrEqual((expected?.lifetimeSeconds ?? 0) - 5);
    }
    if (testCase.expect.sent === false) {
      expect(tokenRequests).toEqual([]);
      return;
    }
    expect(tokenRequests).toHaveLength(1);
    const sent = tokenRequests[0];
    expect(sent?.method).toBe('POST');
    const { headers, body } = expectedRequest(testCase);
    for (const [name, value] of Object.entries(headers)) {
      expect(sent?.headers[name] ?? null, name).toBe(value);
    }
    if (body) expect(JSON.parse(sent?.body ?? '')).toEqual(body);
  });
});
