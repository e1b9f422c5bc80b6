// The conformance table run against the emulator, our model of Lacework: for every exchange case
// that says what Lacework answers (`lacework`), the emulator, given the case's key, answers the
// case's request with that status, and its successful answers are tokens by the table's rules
// (read with core's protocol module, which the emulator itself does not use).
import {
  CONFORMANCE_KEY,
  caseKey,
  conformanceCases,
  expectedRequest,
} from '@lacework-auth/test-kit';
import { emulator } from '@lacework-auth/test-kit/vitest';
import { describe, expect, it } from 'vitest';
import { classifyTokenAnswer } from '../src/protocol/exchange.js';

const cases = conformanceCases().exchange.filter((testCase) => testCase.lacework !== undefined);

describe('conformance: the emulator answers as Lacework does', () => {
  it.each(cases)('$name', async (testCase) => {
    const emu = await emulator({
      keys: [{ ...CONFORMANCE_KEY, subAccounts: [...CONFORMANCE_KEY.subAccounts] }],
      rateLimit: false,
    });
    const key = caseKey(testCase);
    const expiryTime = testCase.input.expiryTime;
    const headers: Record<string, string> = {
      'x-lw-uaks': key.secret,
      'content-type': 'application/json',
    };
    if (testCase.input.subAccount) headers['account-name'] = testCase.input.subAccount;
    if (testCase.input.orgAccess) headers['org-access'] = 'true';
    const body = expectedRequest(testCase).body ?? {
      keyId: key.keyId,
      ...(expiryTime === undefined ? {} : { expiryTime }),
    };
    const requestedAt = Date.now();
    const response = await fetch(`${emu.url}/api/v2/access/tokens`, {
      method: 'POST',
      headers,
      body: JSON.stringify(body),
    });
    const text = await response.text();
    expect(response.status).toBe(testCase.lacework?.status);
    const reading = classifyTokenAnswer(
      { status: response.status, body: text, headers: response.headers },
      {
        request: {
          url: `${emu.url}/api/v2/access/tokens`,
          keyId: key.keyId,
          secret: key.secret,
          subAccount: testCase.input.subAccount,
          expiryTime: Number(body.expiryTime ?? 3600),
        },
        requestedAt,
      },
    );
    if (testCase.expect.result) {
      expect(reading.ok).toBe(true);
      if (!reading.ok) return;
      const lifetime = Math.round((reading.expiresAt - requestedAt) / 1000);
      expect(lifetime).toBeLessThanOrEqual(testCase.expect.result.lifetimeSeconds);
      expect(lifetime).toBeGreaterThanOrEqual(testCase.expect.result.lifetimeSeconds - 5);
    } else if (testCase.expect.sent !== false) {
      expect(reading.ok ? 'a token' : reading.code).toBe(testCase.expect.error);
    }
  });
});
