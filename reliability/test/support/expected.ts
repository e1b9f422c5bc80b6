import type { ConsumerName } from './matrix.js';

/**
 * What each package documents for each fault: `[one-off fault, fault every time]`, written as
 * `first → second` for a one-off fault (the attempt it hit, then the next) and `first` for a
 * fault every time. Codes are core's without `ERR_LW_`; `502 SERVER` is our server's status and
 * error code; `HTTP 500` is Lacework's own answer passed on; `cut` a connection cut mid-answer.
 * Sources (README sections): core "Refresh ahead", "No retry storm", "Client", "Errors";
 * express "Errors", "Token refresh", "Answers from the proxy itself"; postman "How the script
 * behaves", "On errors the request is not sent".
 */
export type Expectation = Partial<Record<ConsumerName, [transient: string, persistent: string]>>;

const tokenRetried = (persistent: string): Expectation => ({
  // core retries 429 (honouring Retry-After), 5xx and network errors twice, inside one call.
  core: ['ok → ok', persistent],
  cli: ['ok → ok', persistent],
  // The script does not retry within a request: this one fails, the next exchanges again
  // (after a 429, once Retry-After has passed).
  newman: [`${persistent} → ok`, persistent],
  route: ['ok → ok', `${gateway(persistent)} ${persistent}`],
  proxy: ['ok → ok', `${gateway(persistent)} ${persistent}`],
});

/** express's gatewayStatus() table. */
function gateway(code: string): number {
  if (code === 'RATE_LIMITED') return 503;
  if (code === 'TIMEOUT') return 504;
  return 502;
}

/** A failed exchange that is not retried: the typed error, then the next call exchanges again. */
const tokenNotRetried = (code: string, newmanCode = code): Expectation => ({
  core: [`${code} → ok`, code],
  cli: [`${code} → ok`, code],
  newman: [`${newmanCode} → ok`, newmanCode],
  route: [`${gateway(code)} ${code} → ok`, `${gateway(code)} ${code}`],
  proxy: [`${gateway(code)} ${code} → ok`, `${gateway(code)} ${code}`],
});

/** An API failure: the client retries it, the proxy and the Postman script pass it on. */
const apiRetried = (status: number, code: string): Expectation => ({
  core: ['ok → ok', code],
  newman: [`HTTP ${status} → ok`, `HTTP ${status}`],
  route: ['ok → ok', `${gateway(code)} ${code}`],
  proxy: [`HTTP ${status} → ok`, `HTTP ${status}`],
});

const allOk: Expectation = {
  core: ['ok → ok', 'ok'],
  cli: ['ok → ok', 'ok'],
  newman: ['ok → ok', 'ok'],
  route: ['ok → ok', 'ok'],
  proxy: ['ok → ok', 'ok'],
};

export const EXPECTED: Record<string, Expectation> = {
  'token 429 Retry-After: 1': tokenRetried('RATE_LIMITED'),
  'token 500': tokenRetried('SERVER'),
  'token 502 HTML page': tokenRetried('SERVER'),
  'token 503': tokenRetried('SERVER'),
  // A rejected key is not asked again for 30 s (core), or for the rest of the run (Postman);
  // the CLI is a new process each time and remembers nothing but tokens.
  'token 401 (key refused)': {
    core: ['KEY_REJECTED → KEY_REJECTED', 'KEY_REJECTED'],
    cli: ['KEY_REJECTED → ok', 'KEY_REJECTED'],
    newman: ['KEY_REJECTED → KEY_REJECTED', 'KEY_REJECTED'],
    route: ['502 KEY_REJECTED → 502 KEY_REJECTED', '502 KEY_REJECTED'],
    proxy: ['502 KEY_REJECTED → 502 KEY_REJECTED', '502 KEY_REJECTED'],
  },
  'token 200 HTML (portal)': tokenNotRetried('BAD_RESPONSE'),
  'token reset': tokenRetried('NETWORK'),
  'token slow (500 ms)': allOk,
  'token malformed JSON': tokenNotRetried('BAD_RESPONSE'),
  // newman's timeoutRequest ends the script's token request: "could not reach … (ESOCKETTIMEDOUT)".
  'token stalled body': tokenNotRetried('TIMEOUT', 'NETWORK'),
  // The proxy answers Lacework's 429 as laceworkErrorHandler does (express "One rate-limit answer").
  'api 429 Retry-After: 1': {
    ...apiRetried(429, 'RATE_LIMITED'),
    proxy: ['503 RATE_LIMITED → ok', '503 RATE_LIMITED'],
  },
  'api 500': apiRetried(500, 'SERVER'),
  'api 502 HTML page': apiRetried(502, 'SERVER'),
  'api 503': apiRetried(503, 'SERVER'),
  // 401/403: a new token once, the request once more; a fresh token refused too is a
  // permissions problem (core/Postman: UNAUTHORIZED; the proxy passes Lacework's 403 on).
  'api 403 (token refused)': {
    core: ['ok → ok', 'UNAUTHORIZED'],
    newman: ['ok → ok', 'UNAUTHORIZED'],
    route: ['ok → ok', '502 UNAUTHORIZED'],
    proxy: ['ok → ok', 'HTTP 403'],
  },
  'api tokens revoked': {
    core: ['ok → ok', ''],
    newman: ['ok → ok', ''],
    route: ['ok → ok', ''],
    proxy: ['ok → ok', ''],
  },
  'api reset': {
    core: ['ok → ok', 'NETWORK'],
    newman: ['net ECONNRESET → ok', 'net ECONNRESET'],
    route: ['ok → ok', '502 NETWORK'],
    proxy: ['502 NETWORK → ok', '502 NETWORK'],
  },
  'api slow (500 ms)': allOk,
  // A 200 whose JSON is cut: Lacework's answer, not an auth failure. The proxy and newman pass
  // it on as it is; the core client's .json() fails with ERR_LW_BAD_RESPONSE, which
  // laceworkErrorHandler answers with a 502.
  'api malformed JSON': {
    core: ['BAD_RESPONSE → ok', 'BAD_RESPONSE'],
    newman: ['ok → ok', 'ok'],
    route: ['502 BAD_RESPONSE → ok', '502 BAD_RESPONSE'],
    proxy: ['ok → ok', 'ok'],
  },
  // The proxy has already sent the status line when the body stalls: it cuts the connection.
  'api stalled body': {
    core: ['TIMEOUT → ok', 'TIMEOUT'],
    newman: ['net ESOCKETTIMEDOUT → ok', 'net ESOCKETTIMEDOUT'],
    route: ['504 TIMEOUT → ok', '504 TIMEOUT'],
    proxy: ['cut → ok', 'cut'],
  },
};

/** Whether `seen` is what the packages document. No cell may hang. */
export function matches(expected: string, seen: string): boolean {
  return seen === expected;
}
