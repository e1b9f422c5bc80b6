// @ts-check
import http from 'node:http';
import https from 'node:https';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * @typedef {object} RequestSpec
 * @property {string} url
 * @property {string} method GET, HEAD or POST
 * @property {Record<string, string>} headers
 * @property {string | null} body
 * @property {number} timeoutMs per attempt, redirects and body included; 0 means none
 * @property {{ attempts: number, minDelayMs: number, maxDelayMs: number }} retry
 * @property {{ ca?: string, insecure?: boolean, cert?: string, key?: string }} tls
 * @property {AbortSignal} [signal] aborted when Terraform calls StopProvider
 *
 * @typedef {{ status: number, headers: Record<string, string>, body: Buffer }} HttpResponse
 */

/** A failed request, worded like the Go errors the real provider reports. */
export class RequestError extends Error {
  /**
   * @param {string} message
   * @param {{ timeout?: boolean, retryable?: boolean }} [flags]
   */
  constructor(message, flags = {}) {
    super(message);
    this.name = 'RequestError';
    this.timeout = flags.timeout ?? false;
    this.retryable = flags.retryable ?? true;
  }
}

/** go-retryablehttp's defaults, used when the retry block leaves a delay unset. */
export const DEFAULT_MIN_DELAY_MS = 1000;
export const DEFAULT_MAX_DELAY_MS = 30_000;
const MAX_REDIRECTS = 10;

/**
 * Makes the request the way hashicorp/http v3.5 does through go-retryablehttp's `Client.Do` with
 * `DefaultRetryPolicy` and `DefaultBackoff`:
 * - retried: connection errors and timeouts, 429, and 5xx except 501; not retried: other
 *   statuses, bad URL scheme, invalid headers, too many redirects, TLS verification failures;
 * - wait before retry i (0-based): min * 2^i capped at max, except that a 429 or 503 with a
 *   parseable `Retry-After` waits exactly that long;
 * - when the last allowed attempt still wants a retry, the result is an error ("giving up after
 *   N attempt(s)"), not the response. So even without a retry block a 5xx fails the read.
 * @param {RequestSpec} spec
 * @param {(event: { attempt: number, status?: number, error?: string }) => void} [onAttempt]
 * @returns {Promise<HttpResponse>}
 */
export async function requestWithRetries(spec, onAttempt) {
  const { attempts, minDelayMs, maxDelayMs } = spec.retry;
  /** @type {HttpResponse | undefined} */
  let response;
  /** @type {RequestError | undefined} */
  let error;
  let shouldRetry = false;
  let attempt = 0;
  for (let i = 0; ; i++) {
    attempt++;
    response = undefined;
    error = undefined;
    try {
      response = await sendFollowingRedirects(spec);
      shouldRetry = isRetryableStatus(response.status);
      onAttempt?.({ attempt, status: response.status });
    } catch (err) {
      error = toRequestError(err, spec);
      shouldRetry = error.retryable && !spec.signal?.aborted;
      onAttempt?.({ attempt, error: error.message });
    }
    if (!shouldRetry || attempts - i <= 0) break;
    await sleep(backoffMs(minDelayMs, maxDelayMs, i, response), undefined, {
      signal: spec.signal,
    }).catch(() => {});
    if (spec.signal?.aborted) {
      throw new RequestError('context canceled', { retryable: false });
    }
  }
  if (response && !shouldRetry) return response;
  const prefix = `${spec.method} ${spec.url} giving up after ${attempt} attempt(s)`;
  if (!error) throw new RequestError(prefix);
  throw new RequestError(`${prefix}: ${error.message}`, { timeout: error.timeout });
}

/** @param {number} status */
export function isRetryableStatus(status) {
  return status === 429 || status === 0 || (status >= 500 && status !== 501);
}

/**
 * @param {number} minMs
 * @param {number} maxMs
 * @param {number} attemptIndex
 * @param {HttpResponse} [response]
 */
export function backoffMs(minMs, maxMs, attemptIndex, response) {
  if (response && (response.status === 429 || response.status === 503)) {
    const retryAfter = parseRetryAfter(response.headers['Retry-After']);
    if (retryAfter !== undefined) return retryAfter;
  }
  const wait = 2 ** attemptIndex * minMs;
  return Number.isSafeInteger(wait) && wait <= maxMs ? wait : maxMs;
}

/** @param {string | undefined} value seconds or an HTTP date */
function parseRetryAfter(value) {
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - Date.now());
}

/**
 * One attempt: the request plus up to 10 redirects, all under one timeout (Go's
 * `http.Client.Timeout` covers redirects and reading the body too).
 * @param {RequestSpec} spec
 * @returns {Promise<HttpResponse>}
 */
async function sendFollowingRedirects(spec) {
  const controller = new AbortController();
  const onStop = () => controller.abort(new RequestError('context canceled', { retryable: false }));
  spec.signal?.addEventListener('abort', onStop);
  const timer =
    spec.timeoutMs > 0
      ? setTimeout(
          () =>
            controller.abort(
              new RequestError(
                'context deadline exceeded (Client.Timeout exceeded while awaiting headers)',
                { timeout: true },
              ),
            ),
          spec.timeoutMs,
        )
      : undefined;
  try {
    let url = new URL(spec.url);
    let method = spec.method;
    let body = spec.body;
    let headers = { ...spec.headers };
    for (let redirects = 0; ; redirects++) {
      const response = await sendOnce(url, method, headers, body, spec.tls, controller.signal);
      const location = response.headers.Location;
      if (![301, 302, 303, 307, 308].includes(response.status) || !location) return response;
      if (redirects + 1 >= MAX_REDIRECTS) {
        throw new RequestError(`stopped after ${MAX_REDIRECTS} redirects`, { retryable: false });
      }
      const next = new URL(location, url);
      if (next.host !== url.host) headers = withoutCredentials(headers);
      if (response.status <= 303) {
        if (method !== 'GET' && method !== 'HEAD') method = 'GET';
        body = null;
      }
      url = next;
    }
  } finally {
    clearTimeout(timer);
    spec.signal?.removeEventListener('abort', onStop);
  }
}

/** Go drops these when a redirect leaves the original host. */
function withoutCredentials(/** @type {Record<string, string>} */ headers) {
  const sensitive = new Set(['authorization', 'www-authenticate', 'cookie', 'cookie2']);
  return Object.fromEntries(
    Object.entries(headers).filter(([name]) => !sensitive.has(name.toLowerCase())),
  );
}

/**
 * @param {URL} url
 * @param {string} method
 * @param {Record<string, string>} headers
 * @param {string | null} body
 * @param {RequestSpec['tls']} tls
 * @param {AbortSignal} signal
 * @returns {Promise<HttpResponse>}
 */
function sendOnce(url, method, headers, body, tls, signal) {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    const scheme = url.protocol.replace(/:$/, '');
    return Promise.reject(
      new RequestError(`unsupported protocol scheme "${scheme}"`, { retryable: false }),
    );
  }
  const payload = body === null ? undefined : Buffer.from(body, 'utf8');
  /** @type {Record<string, string>} */
  const outgoing = {
    // Go's client sends this unless the configuration sets its own User-Agent.
    'User-Agent': 'Go-http-client/1.1',
    ...headers,
  };
  if (method === 'POST' || payload) {
    outgoing['Content-Length'] = String(payload?.length ?? 0);
  }
  const transport = url.protocol === 'https:' ? https : http;
  const options = {
    method,
    headers: outgoing,
    signal,
    // A fresh connection per request: no pooled sockets outlive the read.
    agent: false,
    ...(url.protocol === 'https:'
      ? {
          ca: tls.ca,
          cert: tls.cert,
          key: tls.key,
          rejectUnauthorized: !tls.insecure,
        }
      : {}),
  };
  return new Promise((resolve, reject) => {
    /** @type {http.ClientRequest} */
    let request;
    try {
      request = transport.request(url, options, (res) => {
        /** @type {Buffer[]} */
        const chunks = [];
        res.on('data', (chunk) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: goHeaderMap(res.rawHeaders),
            body: Buffer.concat(chunks),
          }),
        );
      });
    } catch (err) {
      // Node refuses invalid header names/values before sending, as Go's client does.
      reject(
        new RequestError(`net/http: invalid header: ${errorMessage(err)}`, { retryable: false }),
      );
      return;
    }
    request.on('error', (err) => reject(signal.aborted ? signal.reason : err));
    request.end(payload);
  });
}

/**
 * Response headers as the real provider exposes them: Go's canonical names
 * (`content-type` → `Content-Type`), repeated headers joined with ", ".
 * @param {string[]} rawHeaders
 */
export function goHeaderMap(rawHeaders) {
  /** @type {Record<string, string[]>} */
  const grouped = {};
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = canonicalHeaderName(/** @type {string} */ (rawHeaders[i]));
    // Go moves Transfer-Encoding out of the header map.
    if (name === 'Transfer-Encoding') continue;
    grouped[name] ??= [];
    grouped[name].push(/** @type {string} */ (rawHeaders[i + 1]));
  }
  return Object.fromEntries(
    Object.entries(grouped).map(([name, values]) => [name, values.join(', ')]),
  );
}

/** textproto.CanonicalMIMEHeaderKey: upper-case the first letter and each letter after '-'. */
export function canonicalHeaderName(/** @type {string} */ name) {
  return name
    .toLowerCase()
    .replace(/(^|-)([a-z])/g, (_, dash, letter) => dash + letter.toUpperCase());
}

/**
 * Words a Node error like Go's `*url.Error`: `Post "http://…": <cause>`.
 * @param {unknown} err
 * @param {RequestSpec} spec
 */
function toRequestError(err, spec) {
  const op = spec.method.charAt(0) + spec.method.slice(1).toLowerCase();
  if (err instanceof RequestError) {
    return new RequestError(`${op} "${spec.url}": ${err.message}`, {
      timeout: err.timeout,
      retryable: err.retryable,
    });
  }
  const code = /** @type {{ code?: string }} */ (err)?.code ?? '';
  // Certificate problems are final in go-retryablehttp; everything else at the connection level
  // (refused, reset, DNS) is worth another attempt.
  const certificate = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS_CERT/.test(code);
  return new RequestError(`${op} "${spec.url}": ${errorMessage(err)}`, {
    retryable: !certificate,
  });
}

/** @param {unknown} err */
function errorMessage(err) {
  return err instanceof Error ? err.message : String(err);
}
