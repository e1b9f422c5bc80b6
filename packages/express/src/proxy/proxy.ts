import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import { isLaceworkAuthError } from '@lacework-auth/core';
import { isTokenRefusal } from '@lacework-auth/core/internal';
import type { Request, RequestHandler } from 'express';
import { reportFailure } from '../failure-log.js';
import { clientMessage, gatewayStatus, retryAfterHeader } from '../gateway-error.js';
import { sendJsonError } from '../json-error.js';
import { budgetSlot, observed, withinBudget } from './budget.js';
import {
  type Admitted,
  bodyTooLarge,
  checkProxyRequest,
  isRefusal,
  type Refusal,
} from './checks.js';
import { createSharing, noteUpstream } from './coalesce.js';
import { openUpstream, UpstreamFailure } from './forward.js';
import { framingHeaders } from './framing.js';
import { type LaceworkProxyOptions, normalizeProxyOptions } from './options.js';
import { answerRateLimited } from './rate-limited.js';
import { relay } from './relay.js';
import { BodyTooLargeError, RequestBody } from './request-body.js';

export type { LaceworkProxyOptions } from './options.js';

interface UpstreamBase {
  protocol: string;
  /** `protocol//host[:port]`, as the URL parser writes it. */
  origin: string;
  hostname: string;
  port: string;
  /** Path of the base URL without a trailing slash, then `/api/v2`. */
  prefix: string;
}

function parseBase(baseUrl: string): UpstreamBase {
  const url = new URL(baseUrl);
  return {
    protocol: url.protocol,
    origin: url.origin,
    hostname: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port,
    prefix: `${url.pathname.replace(/\/+$/, '')}/api/v2`,
  };
}

const closing = new WeakSet<Socket>();
const AFTER_CLOSE: Refusal = {
  status: 400,
  code: 'ERR_LW_PROXY_BAD_REQUEST',
  message: 'An earlier request on this connection was refused and the connection is closing.',
  headers: { Connection: 'close' },
};

const sendRefusal = (res: ServerResponse, refusal: Refusal) =>
  sendJsonError(res, refusal.status, refusal.code, refusal.message, refusal.headers);

/**
 * Express middleware that forwards requests to the Lacework API with the server's bearer token,
 * so browsers and dashboards never hold the key. Mounted at a path P with `app.use(P, …)`, it
 * forwards `P/<rest>` to `${baseUrl}/api/v2/<rest>`, streaming request and response bodies.
 *
 * Security model (see the README for each threat and how it is met): it only ever connects to the
 * configured base URL, forwards only canonical paths under `/api/v2/` (non-canonical spellings
 * are refused with 400, not guessed at), only reads unless `allow` says otherwise, frames every
 * request body itself and refuses bodies on methods without one and any ambiguous framing (no
 * request smuggling), never forwards to the token endpoint (however spelled) or `TRACE`,
 * forwards only an allow-list of request headers, drops hop-by-hop headers and those that would
 * set your origin's policy (`Set-Cookie`, CORS, HSTS, …) from responses, marks every answer
 * private to the browser and inert (`nosniff`, a sandboxing CSP), and keeps the token out of
 * responses (headers carrying it are dropped, occurrences in bodies are masked). On a 401/403
 * from Lacework it gets a new token once and replays the request when it can (no body, or a body
 * of at most 1 MiB that was kept while streaming).
 *
 * Failures answer `{ "error": { "code", "message" } }`: 400 bad URL, headers or framing, 403/405
 * refused by `allow`, 413 body too large, 502 Lacework unreachable, token exchange failed or an
 * answer that cannot be relayed safely, 503 (or `rateLimitStatus`) Lacework's rate limit, as
 * `laceworkErrorHandler` answers it, 504 timeout. Lacework's other answers (including its other
 * 4xx/5xx) pass through unchanged. Each 5xx the proxy makes is logged (`logger`, `onError`);
 * `on.proxyReq`, `on.proxyRes` and `on.error` hook in as in http-proxy-middleware.
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
  const config = normalizeProxyOptions(options);
  const { lw, timeout, hooks } = config;

  let agents: { http: http.Agent; https: http.Agent } | undefined;
  const agentFor = (protocol: string): http.Agent => {
    if (config.agent) return config.agent;
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

  /** Reports a failure; true when the `on.error` hook answered it itself. */
  const report = (error: unknown, req: Request, res: ServerResponse, status: number): boolean => {
    reportFailure(config.log, error, req, status);
    if (hooks.error === undefined) return false;
    try {
      hooks.error(error instanceof Error ? error : new Error(String(error)), req, res);
    } catch (hookError) {
      reportFailure(config.log, hookError, req, status);
    }
    return res.headersSent;
  };
  /** Runs a `proxyReq`/`proxyRes` hook; a throwing hook is reported and otherwise ignored. */
  const runHook = (run: () => void, req: Request) => {
    try {
      run();
    } catch (error) {
      reportFailure(config.log, error, req);
    }
  };

  const failToken = (error: unknown, req: Request, res: ServerResponse) => {
    // A client that left while the exchange waited for room gets no answer, and none is logged
    // (as budgetSlot does for a call that waited).
    if (res.destroyed && isLaceworkAuthError(error, 'ERR_LW_BUDGET_EXHAUSTED')) return;
    const known = isLaceworkAuthError(error);
    const code = known ? error.code : 'ERR_LW_NETWORK';
    let status = known ? gatewayStatus(error) : 502;
    if (code === 'ERR_LW_RATE_LIMITED' || code === 'ERR_LW_BUDGET_EXHAUSTED') {
      status = config.rateLimitStatus;
    }
    if (report(error, req, res, status)) return;
    const headers = known ? retryAfterHeader(error) : undefined;
    sendJsonError(res, status, code, clientMessage(code, status), headers);
  };

  const failUpstream = (error: unknown, req: Request, res: ServerResponse) => {
    const timedOut = error instanceof UpstreamFailure && error.kind === 'timeout';
    if (report(error, req, res, timedOut ? 504 : 502)) return;
    if (timedOut) {
      const message = `Lacework did not answer within ${timeout} ms.`;
      sendJsonError(res, 504, 'ERR_LW_TIMEOUT', message);
    } else {
      sendJsonError(res, 502, 'ERR_LW_NETWORK', clientMessage('ERR_LW_NETWORK', 502));
    }
  };

  async function forward(req: Request, res: ServerResponse, admitted: Admitted): Promise<void> {
    const { target, headers, framing } = admitted;
    let token: string;
    try {
      const pending = lw.provider.getToken();
      token = (await withinBudget(pending, lw.provider.budget, config.maxBudgetWait)).token;
    } catch (error) {
      failToken(error, req, res);
      return;
    }
    const upstream = baseFor(lw.provider.baseUrl);
    const agent = agentFor(upstream.protocol);
    const { subAccount, orgAccess } = lw.provider;
    if (subAccount) headers['account-name'] = subAccount;
    if (orgAccess) headers['org-access'] = 'true';
    // Bodies come back identity-encoded, so the token can be masked in them (see relay).
    headers['accept-encoding'] = 'identity';
    Object.assign(headers, framingHeaders(framing));
    const hasBody = framing.kind === 'chunked' || (framing.kind === 'length' && framing.length > 0);
    const expected = framing.kind === 'length' ? framing.length : undefined;
    const body = hasBody
      ? new RequestBody(req, config.maxBodySize, config.replayLimit, expected)
      : undefined;

    for (let attempt = 0; ; attempt++) {
      if (res.destroyed) return;
      const ticket = await budgetSlot(
        lw.provider,
        config.maxBudgetWait,
        res,
        (e) => reportFailure(config.log, e, req, config.rateLimitStatus),
        config.rateLimitStatus,
      );
      if (ticket === false) return;
      headers.authorization = `Bearer ${token}`;
      const exchange = openUpstream({
        protocol: upstream.protocol,
        hostname: upstream.hostname,
        port: upstream.port,
        path: upstream.prefix + target.path + target.search,
        method: req.method,
        headers,
        agent,
        timeout,
      });
      if (hooks.proxyReq) {
        const proxyReq = exchange.request;
        runHook(() => hooks.proxyReq?.(proxyReq, req, res), req);
      }
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
        void ticket?.done();
        res.off('close', abandon);
        if (body?.tooLarge || (error as Error).cause instanceof BodyTooLargeError) {
          sendRefusal(res, bodyTooLarge(config.maxBodySize));
        } else if (!res.destroyed) {
          failUpstream(error, req, res);
        }
        return;
      }

      void ticket?.done(observed(response));
      noteUpstream(res, response, token);
      const status = response.statusCode ?? 502;
      // The rule the client follows too (core's protocol): 401/403 → replace the token once.
      if (isTokenRefusal(status)) {
        // Keyed like the allow-list matches (the canonical path), and without case: every
        // spelling of one route shares one cooldown, so none of them buys another exchange.
        const route = `${req.method} ${upstream.prefix}${target.path.toLowerCase()}`;
        if (attempt > 0) {
          lw.noteRefusedAfterRefresh(route);
        } else if (body === undefined || (await body.replayable())) {
          let fresh: string | undefined;
          try {
            const replacing = lw.replaceRejectedToken(token, route);
            fresh = await withinBudget(replacing, lw.provider.budget, config.maxBudgetWait);
          } catch (error) {
            response.resume();
            failToken(error, req, res);
            return;
          }
          if (fresh !== undefined) {
            response.resume();
            res.off('close', abandon);
            token = fresh;
            continue;
          }
        } else {
          // A streamed body cannot be replayed: pass this answer on, but make the next one work.
          lw.replaceRejectedToken(token, route).catch(() => undefined);
        }
      }
      if (hooks.proxyRes) runHook(() => hooks.proxyRes?.(response, req, res), req);
      if (status === 429) {
        // Lacework's rate limit on the server's key: the same answer as laceworkErrorHandler's.
        answerRateLimited(response, res, config.rateLimitStatus);
        return;
      }
      try {
        relay(response, res, token, req.method, {
          upstreamUrl: `${upstream.origin}${upstream.prefix}${target.path}${target.search}`,
          prefix: upstream.prefix,
          mount: req.baseUrl,
        });
      } catch (error) {
        // Nothing was written; the connection that carried this answer is not reused.
        response.destroy();
        failUpstream(error, req, res);
      }
      return;
    }
  }

  const sharing = createSharing({
    coalesce: config.coalesce,
    cache: config.cache,
    provider: () => lw.provider,
    // A failing response cache is logged; the request is served without it.
    onError: (error, req) => reportFailure(config.log, error, req as Request),
  });

  return function laceworkProxyHandler(req, res) {
    // Node stops reading HTTP on a connection after an `Upgrade` request (what follows would be
    // the new protocol). The proxy does not upgrade, so it answers this request and closes.
    if (req.headers.upgrade !== undefined) res.setHeader('Connection', 'close');
    // Node parses pipelined requests ahead: one that arrives behind a request the proxy answered
    // with `Connection: close` is read from a connection that is being closed, and is not sent.
    if (closing.has(req.socket)) {
      sendRefusal(res, AFTER_CLOSE);
      return;
    }
    const checked = checkProxyRequest(req, req.url, config);
    if (isRefusal(checked)) {
      // A refused request's body is not wanted: close rather than read it all to keep the
      // connection (Node would otherwise drain it, however large it says it is).
      const length = req.headers['content-length'];
      const declared =
        req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
      if (declared && !req.readableEnded) res.setHeader('Connection', 'close');
      if (checked.headers?.Connection === 'close' || res.getHeader('Connection') === 'close') {
        closing.add(req.socket);
      }
      sendRefusal(res, checked);
      return;
    }
    const run = (sink: ServerResponse) => {
      forward(req, sink, checked).catch((error: unknown) => {
        if (report(error, req, sink, 502)) return;
        sendJsonError(sink, 502, 'ERR_LW_NETWORK', 'The Lacework proxy failed.');
      });
    };
    if (sharing.applies(req, checked)) {
      sharing.serve(req, res, checked, run).catch((error: unknown) => {
        if (report(error, req, res, 502)) return;
        sendJsonError(res, 502, 'ERR_LW_NETWORK', 'The Lacework proxy failed.');
      });
      return;
    }
    run(res);
  };
}
