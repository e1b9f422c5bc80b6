import type { Emulator, Fault } from '@lacework-auth/emulator';

/** One kind of upstream failure the emulator can produce, on one route. */
export interface FaultCase {
  /** Short name used in tables, e.g. `token 503`. */
  name: string;
  route: 'token' | 'api';
  /** The injected fault (route and times are added), or `revoke` for `emu.revokeTokens()`. */
  fault: Omit<Fault, 'route' | 'times'> | 'revoke';
}

const HTML_PAGE = '<html><body>Bad Gateway</body></html>';
const LOGIN_PAGE = '<html><body>Sign in</body></html>';

/** Every fault the emulator injects, on the token endpoint and on an API route. */
const CASES: { name: string; route: 'token' | 'api'; fault: FaultCase['fault'] | string }[] = [
  { name: 'token 429 Retry-After: 1', route: 'token', fault: 'status429' },
  { name: 'token 500', route: 'token', fault: { status: 500 } },
  { name: 'token 502 HTML page', route: 'token', fault: 'html502' },
  { name: 'token 503', route: 'token', fault: { status: 503 } },
  { name: 'token 401 (key refused)', route: 'token', fault: { status: 401 } },
  { name: 'token 200 HTML (portal)', route: 'token', fault: 'html200' },
  { name: 'token reset', route: 'token', fault: { reset: true as const } },
  { name: 'token slow (500 ms)', route: 'token', fault: { delayMs: 500 } },
  { name: 'token malformed JSON', route: 'token', fault: { malformed: true as const } },
  { name: 'token stalled body', route: 'token', fault: { stallBody: true as const } },
  { name: 'api 429 Retry-After: 1', route: 'api', fault: 'status429' },
  { name: 'api 500', route: 'api', fault: { status: 500 } },
  { name: 'api 502 HTML page', route: 'api', fault: 'html502' },
  { name: 'api 503', route: 'api', fault: { status: 503 } },
  { name: 'api 403 (token refused)', route: 'api', fault: { status: 403 } },
  { name: 'api tokens revoked', route: 'api', fault: 'revoke' },
  { name: 'api reset', route: 'api', fault: { reset: true as const } },
  { name: 'api slow (500 ms)', route: 'api', fault: { delayMs: 500 } },
  { name: 'api malformed JSON', route: 'api', fault: { malformed: true as const } },
  { name: 'api stalled body', route: 'api', fault: { stallBody: true as const } },
];
export const FAULTS: readonly FaultCase[] = CASES.map((c) => ({ ...c, fault: named(c.fault) }));

function named(fault: FaultCase['fault'] | string): FaultCase['fault'] {
  if (fault === 'status429') return { status: 429, headers: { 'Retry-After': '1' } };
  if (fault === 'html502') {
    return { status: 502, body: HTML_PAGE, headers: { 'Content-Type': 'text/html' } };
  }
  if (fault === 'html200') return { body: LOGIN_PAGE, headers: { 'Content-Type': 'text/html' } };
  return fault as FaultCase['fault'];
}

/** Makes the emulator fail the next matching request (`persistent`: every one until cleared). */
export function applyFault(emu: Emulator, c: FaultCase, persistent: boolean): void {
  if (c.fault === 'revoke') {
    emu.revokeTokens();
    return;
  }
  emu.inject({ ...c.fault, route: c.route, times: persistent ? Number.POSITIVE_INFINITY : 1 });
}
