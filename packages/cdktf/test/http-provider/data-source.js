// @ts-check
import { X509Certificate } from 'node:crypto';
import { isUnknown } from '../../dist/provider/cty.js';
import {
  DEFAULT_MAX_DELAY_MS,
  DEFAULT_MIN_DELAY_MS,
  RequestError,
  requestWithRetries,
} from './http-request.js';
import { HTTP_ATTRIBUTES } from './schema.js';

/**
 * @typedef {{ severity: 'ERROR' | 'WARNING', summary: string, detail: string,
 *   attribute?: { steps: { attribute_name: string }[] } }} Diagnostic
 */

/** @param {string[]} names */
const path = (...names) => ({ steps: names.map((attribute_name) => ({ attribute_name })) });

/**
 * @param {string} summary
 * @param {string} detail
 * @param {string[]} [at]
 * @returns {Diagnostic}
 */
const error = (summary, detail, at) => ({
  severity: 'ERROR',
  summary,
  detail,
  ...(at ? { attribute: path(...at) } : {}),
});

/** Null and unknown values are skipped by the framework's validators; so are they here. */
const isSet = (/** @type {unknown} */ value) =>
  value !== null && value !== undefined && !isUnknown(value);

/**
 * The real data source's config validators (terraform-plugin-framework-validators), with their
 * wording. Terraform calls this at validate, plan and apply time, possibly with unknown values.
 * @param {Record<string, any>} config
 * @returns {Diagnostic[]}
 */
export function validateHttpConfig(config) {
  /** @type {Diagnostic[]} */
  const diagnostics = [];
  const { method, request_timeout_ms: timeout, retry } = config;
  if (isSet(method) && !['GET', 'POST', 'HEAD'].includes(method)) {
    diagnostics.push(
      error(
        'Invalid Attribute Value Match',
        `Attribute method value must be one of: ["\\"GET\\"" "\\"POST\\"" "\\"HEAD\\""], got: "${method}"`,
        ['method'],
      ),
    );
  }
  if (isSet(timeout) && timeout < 1) {
    diagnostics.push(
      error(
        'Invalid Attribute Value',
        `Attribute request_timeout_ms value must be at least 1, got: ${timeout}`,
        ['request_timeout_ms'],
      ),
    );
  }
  // ConflictsWith/AlsoRequires look at presence in the configuration: unknown counts as present.
  const present = (/** @type {string} */ name) =>
    config[name] !== null && config[name] !== undefined;
  if (present('ca_cert_pem') && present('insecure')) {
    diagnostics.push(
      error(
        'Invalid Attribute Combination',
        'Attribute "insecure" cannot be specified when "ca_cert_pem" is specified',
        ['ca_cert_pem'],
      ),
    );
  }
  for (const [name, other] of [
    ['client_cert_pem', 'client_key_pem'],
    ['client_key_pem', 'client_cert_pem'],
  ]) {
    if (present(/** @type {string} */ (name)) && !present(/** @type {string} */ (other))) {
      diagnostics.push(
        error(
          'Invalid Attribute Combination',
          `Attribute "${other}" must be specified when "${name}" is specified`,
          [/** @type {string} */ (name)],
        ),
      );
    }
  }
  if (isSet(retry)) {
    for (const name of ['attempts', 'min_delay_ms', 'max_delay_ms']) {
      if (isSet(retry[name]) && retry[name] < 0) {
        diagnostics.push(
          error(
            'Invalid Attribute Value',
            `Attribute retry.${name} value must be at least 0, got: ${retry[name]}`,
            ['retry', name],
          ),
        );
      }
    }
    if (
      isSet(retry.min_delay_ms) &&
      isSet(retry.max_delay_ms) &&
      retry.max_delay_ms < retry.min_delay_ms
    ) {
      diagnostics.push(
        error(
          'Invalid Attribute Value',
          `Attribute retry.max_delay_ms value must be at least sum of retry.min_delay_ms, got: ${retry.max_delay_ms}`,
          ['retry', 'max_delay_ms'],
        ),
      );
    }
  }
  return diagnostics;
}

/** Go's time.Duration String() for whole milliseconds: 500ms, 2s, 1.5s. */
const goDuration = (/** @type {number} */ ms) => (ms < 1000 ? `${ms}ms` : `${ms / 1000}s`);

/** Whether the PEM text holds at least one parseable certificate (Go's AppendCertsFromPEM). */
function hasCertificate(/** @type {string} */ pem) {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  return blocks.some((block) => {
    try {
      new X509Certificate(block);
      return true;
    } catch {
      return false;
    }
  });
}

/**
 * Reads `data "http"`: makes the request, then returns the full object Terraform stores.
 * Configured attributes are echoed back untouched (Terraform rejects a data source result that
 * changes them); computed ones are filled in from the response.
 * @param {Record<string, any>} config wholly known (Terraform only reads known configurations)
 * @param {{ signal?: AbortSignal, onAttempt?: Parameters<typeof requestWithRetries>[1] }} [options]
 * @returns {Promise<{ state: Record<string, any> | null, diagnostics: Diagnostic[] }>}
 */
export async function readHttpDataSource(config, options = {}) {
  const url = /** @type {string} */ (config.url);
  const method = config.method || 'GET';
  if (isSet(config.ca_cert_pem) && !hasCertificate(config.ca_cert_pem)) {
    return {
      state: null,
      diagnostics: [
        error(
          'Error configuring TLS client',
          "Error tls: Can't add the CA certificate to certificate pool. Only PEM encoded certificates are supported.",
        ),
      ],
    };
  }
  const retry = config.retry ?? {};
  const timeoutMs = Math.max(config.request_timeout_ms ?? 0, 0);
  try {
    const response = await requestWithRetries(
      {
        url,
        method,
        headers: config.request_headers ?? {},
        body: config.request_body ?? null,
        timeoutMs,
        retry: {
          attempts: retry.attempts ?? 0,
          minDelayMs: retry.min_delay_ms ?? DEFAULT_MIN_DELAY_MS,
          maxDelayMs: retry.max_delay_ms ?? DEFAULT_MAX_DELAY_MS,
        },
        tls: {
          ca: config.ca_cert_pem ?? undefined,
          insecure: config.insecure ?? false,
          cert: config.client_cert_pem ?? undefined,
          key: config.client_key_pem ?? undefined,
        },
        ...(options.signal ? { signal: options.signal } : {}),
      },
      options.onAttempt,
    );
    /** @type {Diagnostic[]} */
    const diagnostics = [];
    let text = '';
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(response.body);
    } catch {
      text = response.body.toString('utf8');
      diagnostics.push({
        severity: 'WARNING',
        summary: 'Response body is not recognized as UTF-8',
        detail: 'Terraform may not properly handle the response_body if the contents are binary.',
      });
    }
    return {
      state: {
        ...Object.fromEntries(HTTP_ATTRIBUTES.map(({ name }) => [name, null])),
        retry: null,
        ...config,
        id: url,
        response_body: text,
        body: text,
        response_body_base64: response.body.toString('base64'),
        response_headers: response.headers,
        status_code: response.status,
      },
      diagnostics,
    };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const detail =
      err instanceof RequestError && err.timeout && timeoutMs > 0
        ? `request exceeded the specified timeout: ${goDuration(timeoutMs)}, err: ${message}`
        : err instanceof RequestError && err.timeout
          ? `timeout error: ${message}`
          : `Error making request: ${message}`;
    return { state: null, diagnostics: [error('Error making request', detail)] };
  }
}
