import { readFileSync } from 'node:fs';
import type { ScriptedAnswer } from './scripted-server.js';

/** A base-URL case: an account or base URL as typed → the API base URL, or the error code. */
export interface BaseUrlCase {
  input: string;
  /** `account` (only *.lacework.net) or `baseUrl` (any https host, loopback http). */
  setting: 'account' | 'baseUrl';
  expect: { url: string } | { error: string };
}

/** A token exchange case: inputs and Lacework's answer → the request sent, and the token or error. */
export interface ExchangeCase {
  name: string;
  input: {
    keyId?: string;
    secret?: string;
    subAccount?: string;
    orgAccess?: boolean;
    expiryTime?: number;
  };
  /** What the token endpoint answers; `expiresAt` `"+Ns"` is N seconds after the answer. */
  answer?: { status: number; body?: unknown; headers?: Record<string, string> };
  /** What Lacework (and so the emulator, with the case's key) answers this request with. */
  lacework?: { status: number };
  expect: {
    /** Headers (lower-case; `null`: absent) and JSON body of the token request. */
    request?: { headers?: Record<string, string | null>; body?: Record<string, unknown> };
    /** The token, and its lifetime from the request (after capping). */
    result?: { token: string; lifetimeSeconds: number };
    /** The error code. */
    error?: string;
    /** `false`: refused before anything is sent. */
    sent?: boolean;
  };
}

/** A refresh-window case: a token's lifetime → how long before expiry it is refreshed. */
export interface RefreshWindowCase {
  lifetimeMs: number;
  windowMs: number;
}

/** The key every case uses unless it says otherwise (Lacework's shapes). */
export const CONFORMANCE_KEY = {
  keyId: 'ACME_0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF',
  secret: '_0123456789abcdef0123456789abcdef',
  subAccounts: ['acme-dev'],
} as const;

/**
 * The conformance table, packages/core/conformance/cases.json (read from the repository: the
 * test-kit is private and lives next to core).
 */
export function conformanceCases(): {
  baseUrl: BaseUrlCase[];
  exchange: ExchangeCase[];
  refreshWindow: RefreshWindowCase[];
} {
  const file = new URL('../../core/conformance/cases.json', import.meta.url);
  return JSON.parse(readFileSync(file, 'utf8'));
}

/** The key of a case: its own keyId/secret where it gives them. */
export function caseKey(testCase: ExchangeCase): { keyId: string; secret: string } {
  return {
    keyId: testCase.input.keyId ?? CONFORMANCE_KEY.keyId,
    secret: testCase.input.secret ?? CONFORMANCE_KEY.secret,
  };
}

/**
 * What a client is given for a case: its key, and the sub-account, organization access and
 * expiry time it sets (only those it sets).
 */
export function caseOptions(testCase: ExchangeCase): {
  keyId: string;
  secret: string;
  subAccount?: string;
  orgAccess?: boolean;
  expiryTime?: number;
} {
  const { subAccount, orgAccess, expiryTime } = testCase.input;
  return {
    ...caseKey(testCase),
    ...(subAccount !== undefined ? { subAccount } : {}),
    ...(orgAccess !== undefined ? { orgAccess } : {}),
    ...(expiryTime !== undefined ? { expiryTime } : {}),
  };
}

/** The case's answer for the scripted server, `"+Ns"` expiries made absolute from `now`. */
export function scriptedAnswer(testCase: ExchangeCase, now = Date.now()): ScriptedAnswer {
  const answer = testCase.answer ?? { status: 500 };
  let body = answer.body;
  if (body !== null && typeof body === 'object') {
    const record = { ...(body as Record<string, unknown>) };
    const relative = /^\+(\d+)s$/.exec(String(record.expiresAt ?? ''));
    if (relative) record.expiresAt = new Date(now + Number(relative[1]) * 1000).toISOString();
    body = record;
  }
  return { status: answer.status, body, headers: answer.headers ?? {} };
}

/** The expected request of a case with `<keyId>` and `<secret>` filled in. */
export function expectedRequest(testCase: ExchangeCase): {
  headers: Record<string, string | null>;
  body: Record<string, unknown> | undefined;
} {
  const key = caseKey(testCase);
  const fill = (value: unknown) =>
    value === '<secret>' ? key.secret : value === '<keyId>' ? key.keyId : value;
  const headers: Record<string, string | null> = {};
  for (const [name, value] of Object.entries(testCase.expect.request?.headers ?? {})) {
    headers[name] = fill(value) as string | null;
  }
  const body = testCase.expect.request?.body;
  return {
    headers,
    body:
      body === undefined
        ? undefined
        : Object.fromEntries(Object.entries(body).map(([name, value]) => [name, fill(value)])),
  };
}

/**
 * What a case compares: what `run` returns, or `{ error: <code> }` for what it throws (an error
 * without a string `code` as its text, which no case expects).
 */
export async function caseOutcome<T>(run: () => T | Promise<T>): Promise<T | { error: string }> {
  try {
    return await run();
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    return { error: typeof code === 'string' ? code : String(error) };
  }
}

/**
 * A sent token request beside the one a case expects, for one `toEqual`: the headers the case
 * names (lower-case; `null`: absent) and, when the case gives one, the JSON body.
 */
export function requestComparison(
  testCase: ExchangeCase,
  sent: { headers: Record<string, string | string[] | undefined>; body: string | undefined },
): {
  actual: { headers: Record<string, string | string[] | null>; body: unknown };
  expected: { headers: Record<string, string | null>; body: unknown };
} {
  const { headers, body } = expectedRequest(testCase);
  return {
    actual: {
      headers: Object.fromEntries(
        Object.keys(headers).map((name) => [name, sent.headers[name] ?? null]),
      ),
      body: body === undefined ? undefined : JSON.parse(sent.body ?? 'null'),
    },
    expected: { headers, body },
  };
}
