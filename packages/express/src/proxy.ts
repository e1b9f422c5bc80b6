import http, {
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type ServerResponse,
} from 'node:http';
import https from 'node:https';
import { InvalidOptionError, isLaceworkAuthError } from '@lacework-auth/core';
import type { Request, RequestHandler } from 'express';
import { type AllowRule, compileAllowList } from './allow-list.js';
import { openUpstream, UpstreamFailure } from './forward.js';
import { clientMessage, gatewayStatus, retryAfterHeader } from './gateway-error.js';
import { sendJsonError } from './json-error.js';
import {
  integerOption,
  optionsObject,
  type ProviderOptions,
  resolveShared,
  takeOwnOptions,
} from './options.js';
import {
  DEFAULT_MAX_HEADER_SIZE,
  forwardedHeaderSet,
  selectRequestHeaders,
} from './proxy-headers.js';
import {
  DEFAULT_MAX_URL_LENGTH,
  isRejection,
  type ProxyTarget,
  parseProxyTarget,
} from './proxy-path.js';
import { relay } from './relay.js';
import { BodyTooLargeError, RequestBody } from './request-body.js';
import type { SharedLacework } from './shared-provider.js';

/** Options of {@link laceworkProxy}. Every field is optional. */
export interface LaceworkProxyOptions extends ProviderOptions {
  /**
   * Routes the proxy forwards; anything else is refused with 403 (unknown path) or 405 (known
   * path, other method). See {@link AllowRule}.
   * @default every path under `/api/v2/` except the token endpoint
   */
  allow?: readonly AllowRule[];
  /** Largest request body in bytes; larger ones get 413. @default 1048576 (1 MiB) */
  maxBodySize?: number;
  /** Longest URL below the mount point, in characters; longer ones get 400. @default 4096 */
  maxUrlLength?: number;
  /** Largest total size of the forwarded request headers, in bytes; larger gets 400. @default 8192 */
  maxHeaderSize?: number;
  /**
   * Extra request headers to forward, besides `accept`, `accept-encoding`, `accept-language`,
   * `content-type`, `content-length`, `content-encoding`, `user-agent` and the `if-*`
   * conditionals. Credentials, hop-by-hop and routing headers are refused.
   * @default []
   */
  forwardHeaders?: readonly string[];
  /** Milliseconds Lacework may stay silent before the proxy answers 504. @default 30000 */
  upstreamTimeout?: number;
  /**
   * Agent for upstream connections.
   * @default a keep-alive `http.Agent` or `https.Agent`, one per proxy
   */
  agent?: http.Agent;
  /**
   * Called with every failure the proxy turned into a 5xx answer (token exchange failed, Lacework
   * unreachable or slow), for logging. Clients get a short generic message; this gets the error.
   * @default undefined
   */
  onError?: (error: Error, req: Request) => void;
}

const OWN_OPTIONS = [
  'allow',
  'maxBodySize',
  'maxUrlLength',
  'maxHeaderSize',
  'forwardHeaders',
  'upstreamTimeout',
  'agent',
  'onError',
] as const;

/** Methods the proxy forwards at all; `TRACE` would reflect the bearer token back. */
const FORWARDED_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];
const FORWARDED_METHOD_SET = new Set(FORWARDED_METHODS);

/** Bodies up to this size are kept while streaming so a 401/403 can be retried with a new token. */
const REPLAY_LIMIT = 1024 * 1024;
const TOKEN_PATH = /^\/access\/tokens(?:\/|$)/i;

interface UpstreamBase {
  protocol: string;
  hostname: string;
  port: string;
  /** Path of the base URL without a trailing slash, then `/api/v2`. */
  prefix: string;
}

function parseBase(baseUrl: string): UpstreamBase {
  const url = new URL(baseUrl);
  return {
    protocol: url.protocol,
    hostname: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port,
    prefix: `${url.pathname.replace(/\/+$/, '')}/api/v2`,
  };
}

/**
 * Express middleware that forwards requests to the Lacework API with the server's bearer token,
 * so browsers and dashboards never hold the key. Mounted at a path P, it forwards `P/<rest>` to
 * `${baseUrl}/api/v2/<rest>`, streaming request and response bodies.
 *
 * Security model: it only ever connects to the configured base URL (targets that could escape
 * `/api/v2/` are refused with 400), forwards only an allow-list of request headers (never the
 * client's `Authorization`, `Cookie`, `X-LW-UAKS` or hop-by-hop headers), never forwards to the
 * token endpoint, drops `Set-Cookie` and hop-by-hop headers from responses, and never puts the
 * token in a response. On a 401/403 from Lacework it gets a new token once and replays the
 * request when it can (no body, or a body of at most 1 MiB that was kept while streaming).
 *
 * Failures answer `{ "error": { "code", "message" } }`: 400 bad URL or headers, 403/405 refused
 * by `allow`, 413 body too large, 502 Lacework unreachable or token exchange failed, 503 rate
 * limited, 504 timeout.
 *
 * @throws {InvalidOptionError} `ERR_LW_INVALID_OPTION` when an option is invalid.
 * @example
 * ```ts
 * import express from 'express';
 * import { laceworkProxy } from '@lacework-auth/express';
 *
 * const app = express();
 * app.use('/lacework', laceworkProxy({ allow: ['GET UserProfile', 'POST Alerts/search'] }));
 * // GET /lacework/UserProfile → GET https://<account>.lacework.net/api/v2/UserProfile
 * ```
 */
export function laceworkProxy(options?: LaceworkProxyOptions): RequestHandler {
  const opts = optionsObject(options, 'laceworkProxy');
  const own = takeOwnOptions(opts, OWN_OPTIONS);
  const allowList = compileAllowList(own.allow as readonly AllowRule[] | undefined);
  const maxBodySize = integerOption(own.maxBodySize, 'maxBodySize', 1024 * 1024, {
    min: 0,
    max: Number.POSITIVE_INFINITY,
    unit: 'bytes',
  });
  const maxUrlLength = integerOption(own.maxUrlLength, 'maxUrlLength', DEFAULT_MAX_URL_LENGTH, {
    min: 16,
    max: 65536,
    unit: 'characters',
  });
  const maxHeaderSize = integerOption(own.maxHeaderSize, 'maxHeaderSize', DEFAULT_MAX_HEADER_SIZE, {
    min: 256,
    max: 65536,
    unit: 'bytes',
  });
  const upstreamTimeout = integerOption(own.upstreamTimeout, 'upstreamTimeout', 30_000, {
    min: 1,
    max: 2_147_483_647,
    unit: 'milliseconds',
  });
  if (own.forwardHeaders !== undefined && !Array.isArray(own.forwardHeaders)) {
    throw new InvalidOptionError('`forwardHeaders` must be an array of header names.');
  }
  const forwarded = forwardedHeaderSet(own.forwardHeaders as readonly string[] | undefined);
  if (own.agent !== undefined && !(own.agent instanceof http.Agent)) {
    throw new InvalidOptionError('`agent` must be an http.Agent or https.Agent.');
  }
  if (own.onError !== undefined && typeof own.onError !== 'function') {
    throw new InvalidOptionError('`onError` must be a function.');
  }
  const onError = own.onError as LaceworkProxyOptions['onError'];
  const lw = resolveShared(opts, 'laceworkProxy');
  const replayLimit = Math.min(maxBodySize, REPLAY_LIMIT);

  let agents: { http: http.Agent; https: http.Agent } | undefined;
  const agentFor = (protocol: string): http.Agent => {
    if (own.agent) return own.agent as http.Agent;
    agents ??= {
      http: new http.Agent({ keepAlive: true }),
      https: new https.Agent({ keepAlive: true }),
    };
    return protocol === 'https:' ? agents.https : agents.http;
  };
  let base: { url: string; parsed: UpstreamBase } | undefined;
  const baseFor = (baseUrl: string): UpstreamBase => {
    if (base?.url !== baseUrl) base = { url: baseUrl, parsed: parseBase(baseUrl) };
    return base.parsed;
  };

  const report = (error: Error, req: Request) => {
    try {
      onError?.(error, req);
    } catch {
      // A failing logger must not turn into an unhandled rejection or a second response.
    }
  };

  const failToken = (error: unknown, req: Request, res: ServerResponse) => {
    const known = isLaceworkAuthError(error);
    const status = known ? gatewayStatus(error) : 502;
    const code = known ? error.code : 'ERR_LW_NETWORK';
    report(error instanceof Error ? error : new Error(String(error)), req);
    sendJsonError(
      res,
      status,
      code,
      clientMessage(status),
      known ? retryAfterHeader(error) : undefined,
    );
  };

  const failUpstream = (error: unknown, req: Request, res: ServerResponse) => {
    const timeout = error instanceof UpstreamFailure && error.kind === 'timeout';
    report(error instanceof Error ? error : new Error(String(error)), req);
    if (timeout) {
      sendJsonError(
        res,
        504,
        'ERR_LW_TIMEOUT',
        `Lacework did not answer within ${upstreamTimeout} ms.`,
      );
    } else {
      sendJsonError(res, 502, 'ERR_LW_NETWORK', 'The server could not reach Lacework.');
    }
  };

  return function laceworkProxyHandler(req, res) {
    const method = req.method;
    if (!FORWARDED_METHOD_SET.has(method)) {
      sendJsonError(
        res,
        405,
        'ERR_LW_PROXY_METHOD_NOT_ALLOWED',
        `The Lacework proxy does not forward ${method} requests.`,
        { Allow: FORWARDED_METHODS.join(', ') },
      );
      return;
    }
    const target = parseProxyTarget(req.url, maxUrlLength);
    if (isRejection(target)) {
      sendJsonError(
        res,
        400,
        'ERR_LW_PROXY_BAD_REQUEST',
        `The Lacework proxy refused this URL: ${target.reason}.`,
      );
      return;
    }
    if (TOKEN_PATH.test(target.decodedPath)) {
      sendJsonError(
        res,
        403,
        'ERR_LW_PROXY_FORBIDDEN',
        'The Lacework proxy never forwards token requests.',
      );
      return;
    }
    if (allowList) {
      const decision = allowList(method, target.decodedPath);
      if (!decision.allowed) {
        if (decision.status === 405) {
          sendJsonError(
            res,
            405,
            'ERR_LW_PROXY_METHOD_NOT_ALLOWED',
            `The Lacework proxy does not allow ${method} for this path.`,
            { Allow: decision.allow.join(', ') },
          );
        } else {
          sendJsonError(
            res,
            403,
            'ERR_LW_PROXY_FORBIDDEN',
            'The Lacework proxy does not allow this path.',
          );
        }
        return;
      }
    }
    const headers = selectRequestHeaders(req.headers, forwarded, maxHeaderSize);
    if (headers === undefined) {
      sendJsonError(
        res,
        400,
        'ERR_LW_PROXY_BAD_REQUEST',
        `The Lacework proxy refused the request: forwarded headers exceed ${maxHeaderSize} bytes.`,
      );
      return;
    }
    const lengthHeader = req.headers['content-length'];
    const length = lengthHeader === undefined ? undefined : Number(lengthHeader);
    const hasBody = req.headers['transfer-encoding'] !== undefined || (length ?? 0) > 0;
    if (length !== undefined && length > maxBodySize) {
      tooLarge(res, maxBodySize);
      return;
    }
    if (hasBody && req.readableEnded) {
      sendJsonError(
        res,
        500,
        'ERR_LW_PROXY_BODY_CONSUMED',
        'The request body was already read by another middleware; mount laceworkProxy before body parsers.',
      );
      return;
    }
    forward(req, res, target, headers, hasBody).catch((error: unknown) => {
      report(error instanceof Error ? error : new Error(String(error)), req);
      sendJsonError(res, 502, 'ERR_LW_NETWORK', 'The Lacework proxy failed.');
    });
  };

  async function forward(
    req: Request,
    res: ServerResponse,
    target: ProxyTarget,
    headers: OutgoingHttpHeaders,
    hasBody: boolean,
  ): Promise<void> {
    let token: string;
    try {
      token = (await lw.provider.getToken()).token;
    } catch (error) {
      failToken(error, req, res);
      return;
    }
    const upstream = baseFor(lw.provider.baseUrl);
    const path = upstream.prefix + target.path + target.search;
    const agent = agentFor(upstream.protocol);
    setIdentity(headers, lw);
    const body = hasBody ? new RequestBody(req, maxBodySize, replayLimit) : undefined;

    for (let attempt = 0; ; attempt++) {
      if (res.destroyed) return;
      headers.authorization = `Bearer ${token}`;
      const exchange = openUpstream({
        protocol: upstream.protocol,
        hostname: upstream.hostname,
        port: upstream.port,
        path,
        method: req.method,
        headers,
        agent,
        timeout: upstreamTimeout,
      });
      const abandon = () => {
        if (!res.writableFinished) exchange.request.destroy();
      };
      res.once('close', abandon);
      if (body === undefined) exchange.request.end();
      else if (attempt === 0) body.pipeTo(exchange.request);
      else exchange.request.end(body.buffer());

      let response: IncomingMessage;
      try {
        response = await exchange.response;
      } catch (error) {
        res.off('close', abandon);
        if (body?.tooLarge || (error as Error).cause instanceof BodyTooLargeError) {
          tooLarge(res, maxBodySize);
        } else if (!res.destroyed) {
          failUpstream(error, req, res);
        }
        return;
      }

      const status = response.statusCode ?? 502;
      if ((status === 401 || status === 403) && attempt === 0) {
        const replayable = body === undefined || (await body.replayable());
        if (replayable) {
          response.resume();
          res.off('close', abandon);
          try {
            token = await lw.replaceRejectedToken(token);
          } catch (error) {
            failToken(error, req, res);
            return;
          }
          continue;
        }
        // Cannot replay a streamed body: pass this answer on, but make the next request work.
        lw.replaceRejectedToken(token).catch(() => undefined);
      }
      relay(response, res, token);
      return;
    }
  }
}

function setIdentity(headers: OutgoingHttpHeaders, lw: SharedLacework): void {
  const { subAccount, orgAccess } = lw.provider;
  if (subAccount) headers['account-name'] = subAccount;
  if (orgAccess) headers['org-access'] = 'true';
}

function tooLarge(res: ServerResponse, maxBodySize: number): void {
  // The rest of the body is not wanted: close the connection instead of reading it.
  sendJsonError(
    res,
    413,
    'ERR_LW_PROXY_BODY_TOO_LARGE',
    `The request body is larger than the proxy's limit of ${maxBodySize} bytes.`,
    { Connection: 'close' },
  );
}
