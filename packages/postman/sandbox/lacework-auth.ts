// Lacework auth for Postman and newman: exchanges the API key (keyId + secret) for a bearer token,
// caches it, refreshes it ahead of expiry and never lets a Lacework request go out without it.
//
// The rules (base URL and host, the token request, reading the answer, expiry capping, the
// refresh window, status → error, redaction) are @lacework-auth/core's protocol module, bundled
// in by scripts/build-sandbox.mjs; this file is only the Postman glue: variables, the request
// being sent, pm.sendRequest, failing tests and skipping requests. The bundle is plain ES2017 for
// Postman's sandbox (newman 6.2 runs sandbox 4.7): callback form of pm.sendRequest, no promises,
// no top-level await. It never prints the secret or the token: messages name variables.
//
// One script serves both events: installed as the collection's pre-request script it supplies the
// token; installed as its test script it drops a token that Lacework refused (401/403) and, in a
// collection run, runs that request once more with a new token.
import {
  type BaseUrlReading,
  classifyTokenAnswer,
  DEFAULT_EXPIRY_TIME,
  echoesSecret,
  HEADERS,
  isApiPath,
  isServable,
  isSubAccountName,
  isTokenRefusal,
  keyIdHint,
  MAX_EXPIRY_TIME,
  RATE_LIMIT_PER_HOUR,
  readBaseUrl,
  readHttpUrl,
  redactText,
  refreshWindowMs,
  SAFE_INPUT,
  showInput,
  type TokenAnswerReading,
  tokenRequest,
} from '@lacework-auth/core/protocol';
import { DEFAULT_VARIABLE_NAMES, type VariableNames } from '../src/variable-names.js';

const config = typeof LACEWORK_AUTH_CONFIG === 'undefined' ? {} : LACEWORK_AUTH_CONFIG;
const settings = {
  // Where the token is cached: 'collection', 'environment' or 'globals'.
  store: config.store ?? 'collection',
  // Fixed refresh margin in ms; null means the rule shared with @lacework-auth/core.
  refreshWindowMs: config.refreshWindowMs ?? null,
  // Run a request once more after Lacework refused a cached token (collection runs only).
  retryOnUnauthorized: config.retryOnUnauthorized ?? true,
  // Print one line per token exchange (never the token).
  log: config.log ?? true,
};
const names: VariableNames = { ...DEFAULT_VARIABLE_NAMES, ...config.variables };

const PREFIX = 'Lacework auth: ';
const SCOPE_NAMES = [
  'the iteration data',
  'the environment',
  'the collection variables',
  'globals',
];
const scopes = {
  collection: pm.collectionVariables,
  environment: pm.environment,
  globals: pm.globals,
};
const store = scopes[settings.store] || pm.collectionVariables;

/** A reason to fail the request: the failing test's name, and its message. */
type Failure = [summary: string, message: string];

/** A note that later requests of the run must not ask Lacework again (rejected key, 429). */
interface Block {
  message: string;
  until?: number;
}

interface Base {
  url: string;
  origin: string;
  host: string;
}

interface Credentials {
  base: Base;
  keyId: string;
  secret: string;
  subAccount: string;
  orgAccess: boolean;
  expiryTime: number;
  /** What a cached token was issued for (never the secret): another key or account misses. */
  tokenFor: string;
}

type CredentialsReading = { base?: Base | undefined; error?: Failure } & Partial<Credentials>;

function windowFor(lifetimeMs: number): number {
  return typeof settings.refreshWindowMs === 'number'
    ? settings.refreshWindowMs
    : refreshWindowMs(lifetimeMs);
}

// Postman's precedence without the local scope: this script writes local variables (the
// normalised base URL, the token), and newman keeps them for the whole run, where they would
// hide the next iteration's data or a changed environment. Returns the value and its scope.
function lookup(name: string): { value: string; scope: number } {
  const sources = [pm.iterationData, pm.environment, pm.collectionVariables, pm.globals];
  for (let i = 0; i < sources.length; i += 1) {
    const source = sources[i];
    if (source && typeof source.has === 'function' && source.has(name)) {
      const value = source.get(name);
      return { value: value === undefined || value === null ? '' : String(value).trim(), scope: i };
    }
  }
  return { value: '', scope: -1 };
}

function read(name: string): string {
  return lookup(name).value;
}

// Messages quote a host only when it is short, has the shape of a host and holds nothing of the
// secret; anything else may be a secret pasted into the wrong variable, and is described.
function quoteHost(host: string, secret: string): string {
  const shown = showInput(host, SAFE_INPUT.host, 'bare');
  if (shown.charAt(0) !== '(' && !echoesSecret(host, [secret])) return shown;
  return `a host name of ${host.length} characters (not shown)`;
}

// The key ID as messages show it: a recognisable prefix, or nothing when it looks like a secret.
function shortKeyId(keyId: string, secret: string): string {
  const hint = keyIdHint(keyId);
  if (hint.charAt(0) === '(' || echoesSecret(keyId, [secret])) {
    return '(key ID not shown: it looks like a secret or has unusual characters)';
  }
  return hint;
}

// The base URL by the protocol's rules, with this script's messages: http:// only for loopback,
// other hosts than *.lacework.net and loopback only with lw_allow_any_host next to it.
function normalizeBaseUrl(
  value: string,
  allowAnyHost: boolean,
  secret: string,
): { base: Base } | { error: string } {
  const setting = `\`${names.baseUrl}\``;
  if (/[{}]/.test(value)) {
    return {
      error: `${setting} contains \`{{\` or \`}}\`: it must be the URL itself (https://<account>.lacework.net) or an account name, not a reference to another variable.`,
    };
  }
  const reading: BaseUrlReading = readBaseUrl(value, { allowAnyHost, allowLoopback: true });
  if (reading.ok) {
    const parsed = readHttpUrl(reading.url);
    if (parsed) return { base: { url: reading.url, origin: parsed.origin, host: parsed.host } };
  }
  const problem = reading.ok ? 'not-url' : reading.problem;
  const host = reading.ok ? '' : (reading.host ?? '');
  switch (problem) {
    case 'spaces':
    case 'backslash':
      return {
        error: `${setting} contains spaces, control characters or a backslash (${value.length} characters, not shown). Set it to https://<account>.lacework.net or an account name.`,
      };
    case 'user-info':
      return { error: `${setting} must not contain a user name or password.` };
    case 'scheme':
      return { error: `${setting} must be an https:// URL or an account name.` };
    case 'secret':
    case 'key-label':
    case 'key-host':
      return {
        error: `${setting} looks like an API secret or key (${value.length} characters, not shown). Set it to https://<account>.lacework.net or an account name; the secret belongs in \`${names.secret}\`.`,
      };
    case 'clear-text':
      return {
        error: `${setting} uses http:// for ${quoteHost(host, secret)}; use https:// (http:// is only allowed for localhost).`,
      };
    case 'bare-loopback':
      return {
        error: `${setting} names a loopback host without a scheme; write the scheme too, e.g. http://127.0.0.1:8080.`,
      };
    case 'labels':
      return {
        error: `${setting} points at ${quoteHost(host, secret)}, which is not a *.lacework.net host of an account (at most account.region.lacework.net), so the API secret is not sent there.`,
      };
    case 'other-host':
      return {
        error: `${setting} points at ${quoteHost(host, secret)}, which is not a *.lacework.net host, so the API secret is not sent there. Use https://<account>.lacework.net, or, for a proxy you trust, set \`${names.allowAnyHost}\` to true in the same place as ${setting}.`,
      };
    default:
      return {
        error: `${setting} is not a valid URL or account name (${value.length} characters, not shown). Use https://<account>.lacework.net or an account name such as acme.`,
      };
  }
}

// The request as the runner will send it: its URL with variables resolved as Postman resolves
// them (local, iteration data, environment, collection, globals). It is a Lacework request when
// that URL has lw_base_url's scheme, host and port, and a path under /api/v2; nothing else
// counts (not where {{lw_base_url}} appears in the URL, not a *.lacework.net host of another
// account). A URL this script cannot read unambiguously is not a Lacework request.
function isLaceworkRequest(base: Base | undefined): boolean {
  if (!base) return false;
  const target = readHttpUrl(pm.variables.replaceIn(pm.request.url.toString()));
  return Boolean(target && target.origin === base.origin && isApiPath(target.path));
}

// A request whose URL starts with {{lw_base_url}} is meant for Lacework: when the variables are
// missing or wrong it fails with the reason instead of going out.
function targetsBaseUrl(): boolean {
  return pm.request.url.toString().indexOf(`{{${names.baseUrl}}}`) === 0;
}

function clearToken(): void {
  store.unset(names.token);
  store.unset(names.tokenExpiresAt);
  store.unset(names.tokenIssuedAt);
  store.unset(names.tokenFor);
}

// What this request's {{lw_request_token}} (the collection's bearer auth) and {{lw_token}} resolve
// to: local scope wins over every other, so a stale lw_token left in an environment cannot shadow
// the fresh one. lw_request_token is only ever set here, never stored: a request the script did
// not run for cannot send a stored token through the collection's auth.
function setRequestToken(token: string): void {
  pm.variables.set(names.requestToken, token);
  pm.variables.set(names.token, token);
}

function useToken(token: string, credentials: Credentials): void {
  setRequestToken(token);
  if (credentials.subAccount) {
    pm.request.headers.upsert({ key: HEADERS.accountName, value: credentials.subAccount });
  }
  if (credentials.orgAccess) pm.request.headers.upsert({ key: HEADERS.orgAccess, value: 'true' });
}

// Throwing inside a sendRequest callback does not stop the request: it would still go out,
// without a token. skipRequest() does stop it; the failing test tells the run why.
function fail(failure: Failure): void {
  setRequestToken('');
  const text = `${PREFIX}${failure[1]} The request was not sent.`;
  pm.test(PREFIX + failure[0], () => {
    throw new Error(text);
  });
  if (pm.execution && typeof pm.execution.skipRequest === 'function') pm.execution.skipRequest();
}

function readCredentials(): CredentialsReading {
  const missing: string[] = [];
  const baseUrlFound = lookup(names.baseUrl);
  const keyId = read(names.keyId);
  const secretFound = lookup(names.secret);
  const secret = secretFound.value;
  // lw_allow_any_host vouches only for the lw_base_url set next to it: a data file or a
  // collection that sets another lw_base_url does not inherit the environment's opt-in.
  const allowAnyHostFound = lookup(names.allowAnyHost);
  const allowAnyHost =
    allowAnyHostFound.value.toLowerCase() === 'true' &&
    allowAnyHostFound.scope === baseUrlFound.scope;
  const normalized = baseUrlFound.value
    ? normalizeBaseUrl(baseUrlFound.value, allowAnyHost, secret)
    : undefined;
  // The base URL, when valid, even if other variables are missing: it decides which requests
  // are Lacework requests.
  const base = normalized && 'base' in normalized ? normalized.base : undefined;
  if (!baseUrlFound.value) missing.push(`\`${names.baseUrl}\``);
  if (!keyId) missing.push(`\`${names.keyId}\``);
  if (!secret) missing.push(`\`${names.secret}\``);
  if (missing.length > 0) {
    const many = missing.length > 1;
    return {
      base,
      error: [
        'missing variable',
        `${missing.join(', ')} ${many ? 'are' : 'is'} not set. Set ${many ? 'them' : 'it'} in your environment (mark \`${names.secret}\` as secret), or pass --env-var to newman or the Postman CLI.`,
      ],
    };
  }
  if (normalized && 'error' in normalized) return { error: ['invalid base URL', normalized.error] };
  // Where the secret goes is decided where the secret is set: a scope that overrides it (a data
  // file over the environment, the environment over globals) cannot point it at another host.
  if (baseUrlFound.scope < secretFound.scope) {
    const over = SCOPE_NAMES[baseUrlFound.scope];
    return {
      error: [
        'base URL overrides the secret',
        `\`${names.baseUrl}\` is set in ${over}, which overrides ${SCOPE_NAMES[secretFound.scope]} where \`${names.secret}\` is set. The secret goes only to a \`${names.baseUrl}\` set in the same place as \`${names.secret}\` (or in a scope it overrides). Move \`${names.baseUrl}\` next to \`${names.secret}\`, or remove it from ${over}.`,
      ],
    };
  }
  const expiryText = read(names.expiryTime);
  let expiryTime = DEFAULT_EXPIRY_TIME;
  if (expiryText) {
    expiryTime = Number(expiryText);
    if (!/^\d+$/.test(expiryText) || expiryTime < 1 || expiryTime > MAX_EXPIRY_TIME) {
      const got = /^-?\d{1,12}$/.test(expiryText)
        ? expiryText
        : `a value of ${expiryText.length} characters that is not a whole number (not shown)`;
      return {
        base,
        error: [
          'invalid expiry time',
          `\`${names.expiryTime}\` must be an integer from 1 to ${MAX_EXPIRY_TIME} (seconds), got ${got}.`,
        ],
      };
    }
  }
  const subAccount = read(names.subAccount);
  // Sent as the Account-Name header: a name, never a secret pasted into the wrong variable.
  if (subAccount && (!isSubAccountName(subAccount) || echoesSecret(subAccount, [secret]))) {
    return {
      base,
      error: [
        'invalid sub-account',
        `\`${names.subAccount}\` must be a sub-account name (letters, digits, -, _ and . only); its value (${subAccount.length} characters) is not shown. Leave it empty to use the account itself.`,
      ],
    };
  }
  const orgAccess = read(names.orgAccess).toLowerCase() === 'true';
  return {
    base,
    keyId,
    secret,
    subAccount,
    orgAccess,
    expiryTime,
    tokenFor: [base?.url, keyId, subAccount, orgAccess ? 'org' : ''].join(' '),
  };
}

function cachedToken(credentials: Credentials): string {
  const token = store.get(names.token);
  if (!token || store.get(names.tokenFor) !== credentials.tokenFor) return '';
  const expiresAt = Date.parse(String(store.get(names.tokenExpiresAt)));
  if (!Number.isFinite(expiresAt)) return '';
  const issuedAt = Date.parse(String(store.get(names.tokenIssuedAt)));
  const lifetimeMs = Number.isFinite(issuedAt)
    ? expiresAt - issuedAt
    : credentials.expiryTime * 1000;
  return isServable({ expiresAt, lifetimeMs }, Date.now(), windowFor) ? String(token) : '';
}

/** Why the token endpoint's answer is not a token, in this script's words. */
function answerFailure(
  reading: Exclude<TokenAnswerReading, { ok: true }>,
  credentials: Credentials,
  response: PostmanResponse,
): { failure: Failure; block?: Block } {
  const { status } = reading;
  const key = `\`${shortKeyId(credentials.keyId, credentials.secret)}\``;
  const said = reading.serverMessage ? `: ${reading.serverMessage}` : '';
  const checkBaseUrl = `Check that \`${names.baseUrl}\` points at your Lacework account`;
  switch (reading.problem) {
    case 'rejected':
      return {
        failure: [
          'API key rejected',
          `Lacework rejected the API key ${key} (HTTP ${status}${said}). Check \`${names.keyId}\` and \`${names.secret}\`${credentials.subAccount ? ` and \`${names.subAccount}\`` : ''}, or create a new key in the Lacework console under Settings → API keys.`,
        ],
        block: {
          message: `Lacework rejected the API key ${key} earlier in this run (HTTP ${status}); it is not sent again. Check \`${names.keyId}\` and \`${names.secret}\`, then run again.`,
        },
      };
    case 'rate-limited': {
      const reset = response.headers.get('RateLimit-Reset') || response.headers.get('Retry-After');
      const wait = reading.retryAfterMs;
      // Every later exchange would be refused too, and would spend more of the hourly quota.
      const until =
        Date.now() + (wait !== undefined && wait > 0 && wait <= 86_400_000 ? wait : 60_000);
      return {
        failure: [
          'rate limited',
          `Lacework rate limit reached (HTTP 429) while exchanging the API key ${key}${reset ? `; RateLimit-Reset: ${redactText(String(reset), [credentials.secret])}` : ''}. Wait before running again: Lacework allows about ${RATE_LIMIT_PER_HOUR} requests per hour, the token exchange included.`,
        ],
        block: {
          until,
          message: `Lacework rate limit reached (HTTP 429) earlier in this run; no new exchange before ${new Date(until).toISOString()}.`,
        },
      };
    }
    case 'redirect': {
      // Seen only when the runner does not follow redirects (newman / Postman CLI
      // --ignore-redirects): followed, the redirect would already have carried X-LW-UAKS to its
      // target, because runners keep custom headers across hosts.
      const target = reading.locationHost
        ? quoteHost(reading.locationHost, credentials.secret)
        : '';
      return {
        failure: [
          'token endpoint redirected',
          `the Lacework token endpoint answered HTTP ${status}, a redirect${target ? ` to ${target}` : ''}, which Lacework does not send. It was not followed, and the API secret was not sent to its target. Set \`${names.baseUrl}\` to your account's API URL (https://<account>.lacework.net).`,
        ],
      };
    }
    case 'server':
      return {
        failure: [
          'Lacework server error',
          `the Lacework token endpoint failed (HTTP ${status}${said}). Try again later.`,
        ],
      };
    case 'status':
      return {
        failure: [
          'unexpected answer',
          `the Lacework token endpoint answered HTTP ${status}${said}. Check \`${names.baseUrl}\`.`,
        ],
      };
    case 'html':
    case 'not-json': {
      const type = response.headers.get('Content-Type') || 'no Content-Type';
      return {
        failure: [
          'answer was not JSON',
          `the token endpoint answered HTTP ${status} with ${redactText(String(type), [credentials.secret])} instead of JSON. ${checkBaseUrl} (https://<account>.lacework.net).`,
        ],
      };
    }
    case 'no-token':
      return {
        failure: [
          'no token in answer',
          `the token endpoint answered HTTP ${status} without a token. ${checkBaseUrl}.`,
        ],
      };
    case 'bad-token':
      return {
        failure: [
          'token not usable',
          `the token endpoint answered HTTP ${status} with a token that is not a bearer token (${reading.tokenLength} characters, not shown). ${checkBaseUrl}.`,
        ],
      };
    case 'no-expiry':
      return {
        failure: [
          'no expiry in answer',
          `the token endpoint answered without a valid \`expiresAt\` (HTTP ${status}).`,
        ],
      };
    default:
      return {
        failure: [
          'token already expired',
          `the token endpoint answered HTTP ${status} with a token that has already expired. Check this computer's clock and \`${names.baseUrl}\`.`,
        ],
      };
  }
}

type Done = (
  failure: Failure | null,
  result?: { token: string; expiresAt: string; issuedAt: string },
  block?: Block,
) => void;

function exchange(credentials: Credentials, done: Done): void {
  let request: ReturnType<typeof tokenRequest>;
  try {
    request = tokenRequest({
      baseUrl: credentials.base.url,
      keyId: credentials.keyId,
      secret: credentials.secret,
      subAccount: credentials.subAccount || undefined,
      orgAccess: credentials.orgAccess,
      expiryTime: credentials.expiryTime,
    });
  } catch (error) {
    // A key ID or secret that cannot travel in a header (a line break, non-ASCII): named, not shown.
    const option = (error as { option?: string }).option === 'secret' ? names.secret : names.keyId;
    done([
      'invalid API key',
      `\`${option}\` cannot be sent in an HTTP header (a line break, a space at either end or a non-ASCII character); copy it again.`,
    ]);
    return;
  }
  const headers = Object.keys(request.headers).map((key) => ({
    key,
    value: request.headers[key] as string,
  }));
  const requestedAt = Date.now();
  pm.sendRequest(
    { url: request.url, method: 'POST', header: headers, body: { mode: 'raw', raw: request.body } },
    (error, response) => {
      const secret = credentials.secret;
      if (error) {
        const shownUrl =
          quoteHost(credentials.base.host, secret) === credentials.base.host
            ? request.url
            : `of \`${names.baseUrl}\``;
        const reason = echoesSecret(String(error.code || error.message || error), [secret])
          ? '[withheld: it echoed part of the secret]'
          : redactText(String(error.code || error.message || error), [secret]);
        return done([
          'Lacework unreachable',
          `could not reach the Lacework token endpoint ${shownUrl} (${reason}). Check \`${names.baseUrl}\` and your network or proxy settings.`,
        ]);
      }
      const reading = classifyTokenAnswer(
        { status: response.code, body: response.text(), headers: response.headers },
        { request, requestedAt },
      );
      if (!reading.ok) {
        const { failure, block } = answerFailure(reading, credentials, response);
        return done(failure, undefined, block);
      }
      if (reading.warning) console.warn(`${PREFIX}${reading.warning}`);
      return done(null, {
        token: reading.token,
        expiresAt: new Date(reading.expiresAt).toISOString(),
        issuedAt: new Date(requestedAt).toISOString(),
      });
    },
  );
}

// After a rejected key or a 429, later requests of the same run fail at once instead of asking
// Lacework again. The note lives in the local scope: it lasts for a newman / Postman CLI run,
// and for one request in the app (so a corrected secret is used at the next Send).
function readBlock(credentials: Credentials): { summary: string; message: string } | null {
  let block: { for?: string; summary: string; message: string; until?: number } | null;
  try {
    block = JSON.parse(pm.variables.get(names.blocked) || 'null');
  } catch (_error) {
    return null;
  }
  if (!block || block.for !== credentials.tokenFor) return null;
  if (block.until && Date.now() >= block.until) return null;
  return block;
}

function beforeRequest(): void {
  const reading = readCredentials();
  // Requests resolve {{lw_base_url}} after this script: give them the normalised URL, and
  // decide on the URL they will have. A stale local value from an earlier request must not stay.
  if (reading.base) pm.variables.set(names.baseUrl, reading.base.url);
  else if (typeof pm.variables.unset === 'function') pm.variables.unset(names.baseUrl);
  if (!isLaceworkRequest(reading.base)) {
    // Another host (or not the API): no exchange, no secret sent, and {{lw_request_token}} resolves to
    // nothing, so inherited bearer auth adds no Authorization header. A header the request sets
    // itself is left as it is.
    setRequestToken('');
    // A request starting with {{lw_base_url}} while that variable is missing or refused is
    // meant for Lacework: fail it with the reason instead of sending it.
    if (!reading.base && reading.error && targetsBaseUrl()) fail(reading.error);
    return;
  }
  if (reading.error) {
    fail(reading.error);
    return;
  }
  const credentials = reading as Credentials;
  const cached = cachedToken(credentials);
  if (cached) {
    pm.variables.set(names.fresh, '');
    useToken(cached, credentials);
    return;
  }
  const blocked = readBlock(credentials);
  if (blocked) {
    fail([blocked.summary, blocked.message]);
    return;
  }
  exchange(credentials, (failure, result, block) => {
    if (failure || !result) {
      const why = failure as Failure;
      if (block) {
        pm.variables.set(
          names.blocked,
          JSON.stringify({
            for: credentials.tokenFor,
            summary: why[0],
            message: block.message,
            until: block.until || 0,
          }),
        );
      }
      return fail(why);
    }
    store.set(names.token, result.token);
    store.set(names.tokenExpiresAt, result.expiresAt);
    store.set(names.tokenIssuedAt, result.issuedAt);
    store.set(names.tokenFor, credentials.tokenFor);
    pm.variables.set(names.fresh, 'true');
    if (settings.log) {
      console.info(
        `${PREFIX}exchanged API key \`${shortKeyId(credentials.keyId, credentials.secret)}\` for a token valid until ${result.expiresAt}.`,
      );
    }
    useToken(result.token, credentials);
  });
}

// A generated collection does not follow redirects (the runners keep Authorization when a
// redirect changes only the port or the scheme). Say why a Lacework request ended in a 3xx when
// it pointed at another origin. A followed redirect is not seen here.
function reportRedirect(base: Base, secret: string, status: number, response: PostmanResponse) {
  const location = status >= 300 && status < 400 && response.headers.get('Location');
  if (!location) return;
  const target = readHttpUrl(String(location));
  if (target && target.origin === base.origin) return;
  // A relative reference (no scheme, not `//host`) stays on the same origin.
  if (!target && !/^[a-z][a-z0-9+.-]*:|^\s*[/\\]{2}/i.test(String(location))) return;
  const where = target
    ? `another origin (${quoteHost(target.host.replace(/^\[|\]$/g, ''), secret)})`
    : 'a URL that is not plain https://host/…';
  pm.test(`${PREFIX}redirect not followed`, () => {
    throw new Error(
      `${PREFIX}Lacework answered HTTP ${status}, a redirect to ${where}. It was not followed, so the token was not sent there.`,
    );
  });
}

function afterResponse(): void {
  const reading = readCredentials();
  const response = pm.response;
  if (!response || !reading.base || !isLaceworkRequest(reading.base)) return;
  const requestId = pm.info.requestId;
  const status = response.code;
  if (!isTokenRefusal(status)) {
    if (store.get(names.retried) === requestId) store.unset(names.retried);
    reportRedirect(reading.base, reading.secret ?? '', status, response);
    return;
  }
  // Lacework answers 403 "User not authorized." for an expired or revoked token (sometimes 401).
  clearToken();
  const execution = pm.execution;
  const canRetry =
    settings.retryOnUnauthorized &&
    pm.variables.get(names.fresh) !== 'true' &&
    store.get(names.retried) !== requestId &&
    execution &&
    typeof execution.setNextRequest === 'function';
  if (canRetry && execution?.setNextRequest) {
    store.set(names.retried, requestId);
    execution.setNextRequest(requestId);
    console.info(
      `${PREFIX}Lacework refused the cached token (HTTP ${status}); it was dropped and "${pm.info.requestName}" runs once more with a new token.`,
    );
    return;
  }
  store.unset(names.retried);
  pm.test(`${PREFIX}token accepted`, () => {
    throw new Error(
      `${PREFIX}Lacework answered HTTP ${status} to a freshly exchanged token. The token was dropped; check that the API key may use this endpoint${reading.subAccount ? ` and sub-account \`${reading.subAccount}\`` : ''}.`,
    );
  });
}

if (pm.info.eventName === 'test') afterResponse();
else beforeRequest();
