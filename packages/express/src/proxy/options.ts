import http from 'node:http';
import { InvalidOptionError } from '@lacework-auth/core';
import type { Request } from 'express';
import { type FailureLog, failureLog, type LaceworkLogger } from '../failure-log.js';
import {
  booleanOption,
  integerOption,
  optionsObject,
  type ProviderOptions,
  resolveShared,
  takeOwnOptions,
} from '../options.js';
import { type RateLimitStatus, rateLimitStatusOption } from '../rate-limit-status.js';
import type { SharedLacework } from '../shared-provider.js';
import { type AllowList, type AllowRule, compileAllowList, DEFAULT_ALLOW } from './allow-list.js';
import { DEFAULT_MAX_HEADER_SIZE, forwardedHeaderSet } from './headers.js';
import { type LaceworkProxyHooks, proxyHooks } from './hooks.js';
import { DEFAULT_MAX_URL_LENGTH } from './path.js';
import {
  type CacheConfig,
  normalizeCacheOption,
  type ResponseCacheOptions,
} from './response-cache.js';

/** Options of {@link laceworkProxy}. Every field is optional. */
export interface LaceworkProxyOptions extends ProviderOptions {
  /**
   * Routes the proxy forwards; anything else is refused with 403 (unknown path) or 405 (known
   * path, other method). See {@link AllowRule}. The default only reads; `['**']` allows all.
   * @default ['GET,OPTIONS **', 'POST **\/search'] (see DEFAULT_ALLOW)
   */
  allow?: readonly AllowRule[];
  /** Largest request body in bytes; larger ones get 413. @default 1048576 (1 MiB) */
  maxBodySize?: number;
  /** Longest URL below the mount point, in characters; longer ones get 400. @default 4096 */
  maxUrlLength?: number;
  /** Largest total size of the forwarded request headers, in bytes; larger gets 400. @default 8192 */
  maxHeaderSize?: number;
  /**
   * Extra request headers to forward, besides `accept`, `accept-language`, `content-type`,
   * `content-encoding`, `user-agent` and the `if-*` conditionals. Credentials, hop-by-hop,
   * framing and routing headers are refused, and so is `accept-encoding`: the proxy asks Lacework
   * for identity-encoded bodies so that it can mask the token in them (compress towards the
   * browser with your own middleware instead).
   * @default []
   */
  forwardHeaders?: readonly string[];
  /**
   * Milliseconds Lacework may take to answer, as in core (where it bounds each token exchange
   * attempt): also how long a forwarded request may stay silent before the proxy answers 504.
   * @default 30000
   */
  timeout?: number;
  /** @deprecated Use `timeout` (one name for the timeout of a request to Lacework). */
  upstreamTimeout?: number;
  /**
   * Agent for upstream connections.
   * @default a keep-alive `http.Agent` or `https.Agent`, one per proxy
   */
  agent?: http.Agent;
  /**
   * Called with every failure the proxy turned into a 5xx answer (token exchange failed, Lacework
   * unreachable or slow), as `laceworkErrorHandler`'s `onError`. Clients get a short message;
   * this gets the error.
   * @default undefined
   */
  onError?: (error: Error, req: Request) => void;
  /**
   * Where each failure answered with a 5xx is logged, one line without secrets or tokens, except
   * when the app's `env` is `test` (as `laceworkErrorHandler` and Express's own handler). `false`
   * logs nothing.
   * @default console
   */
  logger?: LaceworkLogger | false;
  /** Hooks like http-proxy-middleware's `on`: `proxyReq`, `proxyRes`, `error`. */
  on?: LaceworkProxyHooks;
  /**
   * Status of the answer when Lacework refuses a request with 429 (its rate limit on the
   * server's key): `{ "error": { "code": "ERR_LW_RATE_LIMITED", "message" } }` with
   * `Retry-After`, the same answer `laceworkErrorHandler` gives on `laceworkAuth` routes.
   * @default 503
   */
  rateLimitStatus?: RateLimitStatus;
  /**
   * Identical concurrent `GET`/`HEAD` requests (same canonical route, query, forwarded headers,
   * sub-account) share one upstream call, and each client gets the whole answer. See the README's
   * "Rate limit" section.
   * @default true
   */
  coalesce?: boolean;
  /**
   * A short-lived cache of successful `GET` answers (200 only), off unless given: `{ ttl }` in ms,
   * bounded by `maxEntries` and `maxBytes` (LRU), optionally in a shared `store`. See the README.
   * @default false
   */
  cache?: ResponseCacheOptions | false;
  /**
   * Longest a request waits for room in the key's rate budget (see core's `budget` option), in
   * ms; a request that would wait longer is answered 503 with `Retry-After` and not sent.
   * @default 10000
   */
  maxBudgetWait?: number;
}

/** {@link LaceworkProxyOptions} after validation, every field present. */
export interface ProxyConfig {
  lw: SharedLacework;
  allowList: AllowList;
  maxBodySize: number;
  /** Bodies up to this size are kept while streaming, so a 401/403 can be replayed. */
  replayLimit: number;
  maxUrlLength: number;
  maxHeaderSize: number;
  forwarded: ReadonlySet<string>;
  timeout: number;
  agent: http.Agent | undefined;
  log: FailureLog;
  hooks: LaceworkProxyHooks;
  rateLimitStatus: RateLimitStatus;
  coalesce: boolean;
  cache: CacheConfig | undefined;
  maxBudgetWait: number;
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
  'logger',
  'on',
  'rateLimitStatus',
  'coalesce',
  'cache',
  'maxBudgetWait',
] as const;

/** Largest body kept for a replay, whatever `maxBodySize` allows. */
const REPLAY_LIMIT = 1024 * 1024;

/**
 * Validates {@link LaceworkProxyOptions} once, when the proxy is created; the rest goes to core
 * (which validates it and refuses unknown names).
 *
 * @throws {InvalidOptionError} `ERR_LW_INVALID_OPTION` naming the option.
 */
export function normalizeProxyOptions(options: LaceworkProxyOptions | undefined): ProxyConfig {
  const opts = optionsObject(options, 'laceworkProxy');
  const own = takeOwnOptions(opts, OWN_OPTIONS);
  const maxBodySize = integerOption(own.maxBodySize, 'maxBodySize', 1024 * 1024, {
    min: 0,
    max: Number.POSITIVE_INFINITY,
    unit: 'bytes',
  });
  if (own.forwardHeaders !== undefined && !Array.isArray(own.forwardHeaders)) {
    throw new InvalidOptionError('`forwardHeaders` must be an array of header names.', {
      option: 'forwardHeaders',
    });
  }
  if (own.agent !== undefined && !(own.agent instanceof http.Agent)) {
    throw new InvalidOptionError('`agent` must be an http.Agent or https.Agent.', {
      option: 'agent',
    });
  }
  // `timeout` is core's too (the exchange): read here, and left in `opts` for core.
  if (own.upstreamTimeout !== undefined && opts.timeout !== undefined) {
    throw new InvalidOptionError(
      '`upstreamTimeout` is the deprecated name of `timeout`; give only `timeout`.',
      { option: 'upstreamTimeout' },
    );
  }
  const timeoutName = own.upstreamTimeout !== undefined ? 'upstreamTimeout' : 'timeout';
  return {
    allowList: compileAllowList((own.allow ?? DEFAULT_ALLOW) as readonly AllowRule[]) as AllowList,
    maxBodySize,
    replayLimit: Math.min(maxBodySize, REPLAY_LIMIT),
    maxUrlLength: integerOption(own.maxUrlLength, 'maxUrlLength', DEFAULT_MAX_URL_LENGTH, {
      min: 16,
      max: 65536,
      unit: 'characters',
    }),
    maxHeaderSize: integerOption(own.maxHeaderSize, 'maxHeaderSize', DEFAULT_MAX_HEADER_SIZE, {
      min: 256,
      max: 65536,
      unit: 'bytes',
    }),
    forwarded: forwardedHeaderSet(own.forwardHeaders as readonly string[] | undefined),
    timeout: integerOption(own.upstreamTimeout ?? opts.timeout, timeoutName, 30_000, {
      min: 1,
      max: 2_147_483_647,
      unit: 'milliseconds',
    }),
    agent: own.agent as http.Agent | undefined,
    log: failureLog(own.logger, own.onError),
    hooks: proxyHooks(own.on),
    rateLimitStatus: rateLimitStatusOption(own.rateLimitStatus),
    coalesce: booleanOption(own.coalesce, 'coalesce', true),
    cache: normalizeCacheOption(own.cache),
    maxBudgetWait: integerOption(own.maxBudgetWait, 'maxBudgetWait', 10_000, {
      min: 0,
      max: 2_147_483_647,
      unit: 'milliseconds',
    }),
    // Last: core validates its options only after ours passed.
    lw: resolveShared(opts, 'laceworkProxy', OWN_OPTIONS),
  };
}
