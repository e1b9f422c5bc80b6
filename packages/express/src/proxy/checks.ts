import type { IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import type { ProxyErrorCode } from '../json-error.js';
import { type Framing, isFramingProblem, requestFraming } from './framing.js';
import { selectRequestHeaders } from './headers.js';
import type { ProxyConfig } from './options.js';
import { isRejection, namesTokenEndpoint, type ProxyTarget, parseProxyTarget } from './path.js';

/** Methods the proxy forwards at all; `TRACE` would reflect the bearer token back. */
export const FORWARDED_METHODS: readonly string[] = [
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'PATCH',
  'DELETE',
  'OPTIONS',
];
const FORWARDED_METHOD_SET = new Set(FORWARDED_METHODS);

/** A request the proxy will forward, and what to forward. */
export interface Admitted {
  target: ProxyTarget;
  /** The client's headers that may go upstream (the proxy adds its own, framing included). */
  headers: OutgoingHttpHeaders;
  /** How the body is delimited: the proxy forwards it with the same, explicit framing. */
  framing: Framing;
}

/** Why a request is answered by the proxy itself, without contacting Lacework. */
export interface Refusal {
  status: number;
  code: ProxyErrorCode;
  message: string;
  headers?: Record<string, string>;
}

const refuse = (
  status: number,
  code: ProxyErrorCode,
  message: string,
  headers?: Record<string, string>,
): Refusal => ({ status, code, message, headers });

/** True when {@link checkProxyRequest} refused the request. */
export function isRefusal(value: Admitted | Refusal): value is Refusal {
  return 'status' in value;
}

/**
 * Everything the proxy decides before it contacts Lacework, in order: framing (see
 * `requestFraming`; refused with `Connection: close`, since the rest of the connection cannot be
 * trusted), method, URL safety and canonical form, the token endpoint, the allow-list, header
 * size, body size, and a body already consumed by a body parser. `url` is the URL below the
 * mount point (Express's `req.url` in a mounted middleware).
 */
export function checkProxyRequest(
  req: IncomingMessage,
  url: string,
  config: ProxyConfig,
): Admitted | Refusal {
  const framing = requestFraming(req);
  if (isFramingProblem(framing)) {
    return refuse(
      400,
      'ERR_LW_PROXY_BAD_REQUEST',
      `The Lacework proxy refused the request: ${framing.problem}.`,
      { Connection: 'close' },
    );
  }
  const method = req.method ?? 'GET';
  if (!FORWARDED_METHOD_SET.has(method)) {
    return refuse(
      405,
      'ERR_LW_PROXY_METHOD_NOT_ALLOWED',
      `The Lacework proxy does not forward ${method} requests.`,
      { Allow: FORWARDED_METHODS.join(', ') },
    );
  }
  const target = parseProxyTarget(url, config.maxUrlLength);
  if (isRejection(target)) {
    return refuse(
      400,
      'ERR_LW_PROXY_BAD_REQUEST',
      `The Lacework proxy refused this URL: ${target.reason}.`,
    );
  }
  if (namesTokenEndpoint(target.path)) {
    return refuse(
      403,
      'ERR_LW_PROXY_FORBIDDEN',
      'The Lacework proxy never forwards token requests.',
    );
  }
  const decision = config.allowList(method, target.path);
  if (!decision.allowed) {
    return decision.status === 405
      ? refuse(
          405,
          'ERR_LW_PROXY_METHOD_NOT_ALLOWED',
          `The Lacework proxy does not allow ${method} for this path.`,
          { Allow: decision.allow.join(', ') },
        )
      : refuse(403, 'ERR_LW_PROXY_FORBIDDEN', 'The Lacework proxy does not allow this path.');
  }
  const headers = selectRequestHeaders(req.headers, config.forwarded, config.maxHeaderSize);
  if (headers === undefined) {
    return refuse(
      400,
      'ERR_LW_PROXY_BAD_REQUEST',
      `The Lacework proxy refused the request: forwarded headers exceed ${config.maxHeaderSize} bytes.`,
    );
  }
  if (framing.kind === 'length' && framing.length > config.maxBodySize) {
    return bodyTooLarge(config.maxBodySize);
  }
  const hasBody = framing.kind === 'chunked' || (framing.kind === 'length' && framing.length > 0);
  if (hasBody && req.readableEnded) {
    return refuse(
      500,
      'ERR_LW_PROXY_BODY_CONSUMED',
      'The request body was already read by another middleware; mount laceworkProxy before body parsers.',
    );
  }
  return { target, headers, framing };
}

/** 413, closing the connection: the rest of the body is not wanted, so it is not read. */
export function bodyTooLarge(maxBodySize: number): Refusal {
  return refuse(
    413,
    'ERR_LW_PROXY_BODY_TOO_LARGE',
    `The request body is larger than the proxy's limit of ${maxBodySize} bytes.`,
    { Connection: 'close' },
  );
}
