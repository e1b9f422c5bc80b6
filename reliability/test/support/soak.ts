import { isLaceworkAuthError, refreshWindowMs } from '@lacework-auth/core';
import { type Fault, startEmulator } from '@lacework-auth/emulator';
import {
  laceworkAuth,
  laceworkErrorHandler,
  laceworkProxy,
  requireLacework,
} from '@lacework-auth/express';
import express, { type ErrorRequestHandler } from 'express';
import { ATTEMPT_TIMEOUT_MS, type ProviderOverrides } from './consumers.js';
import { collectGarbage } from './deadline.js';
import { listen, sleep } from './servers.js';

/** Token lifetime in the soak, seconds. */
export const SOAK_TOKEN_SECONDS = 5;
/** Share of API calls that fail. */
export const API_FAULT_RATE = 0.05;
/**
 * Every this many token requests, the next one fails: a quarter of them, far more than the API's
 * share, so that the refresh path meets faults within a short run. A schedule, not a random draw:
 * a 20 s run makes only about 7 exchanges, and a draw at 25 % would miss them all one run in
 * eight (0.75^7).
 */
export const TOKEN_FAULT_EVERY = 4;
/** Client requests per second, half through the proxy and half through the route. */
export const SOAK_RATE = 40;
/** A client gives up on a request after this long (one of our servers failed to answer). */
const CLIENT_TIMEOUT_MS = 20_000;

const RETRY_AFTER: Fault = { status: 429, headers: { 'Retry-After': '1' } };
/** API faults: 429 with Retry-After, 500, 503, reset, slow, stalled body. */
const API_FAULTS: Fault[] = [
  RETRY_AFTER,
  { status: 500 },
  { status: 503 },
  { reset: true },
  { delayMs: 500 },
  { stallBody: true },
];
/**
 * Token faults: the same but the stalled body, which can hang an exchange for 300 s because of
 * the known core bug (test/stalled-body-gc.test.ts); the fault matrix covers it.
 */
const TOKEN_FAULTS: Fault[] = [
  RETRY_AFTER,
  { status: 500 },
  { status: 503 },
  { reset: true },
  { delayMs: 500 },
];

export interface SoakOptions {
  seconds: number;
  /** Provider options that break recovery on purpose. */
  overrides?: ProviderOverrides;
  /** Delay every API call this long (a distant Lacework); turns the random API faults off. */
  latencyMs?: number;
  /** Seed of the fault sequence. */
  seed?: number;
}

/** What clients saw, what the emulator saw, and the heap. */
export interface SoakReport {
  seconds: number;
  requests: number;
  ok: number;
  /** Failures caused by authentication: 401/403, or a token-exchange error reaching a client. */
  authFailures: string[];
  /** Lacework's injected API faults reaching a client (the proxy passes them on). */
  upstreamFailures: number;
  /** Requests with no answer within CLIENT_TIMEOUT_MS. */
  hung: number;
  exchanges: number;
  expectedExchanges: { min: number; max: number };
  apiFaults: number;
  tokenFaults: number;
  /** API calls the emulator refused with 401/403 though no fault was injected: expired tokens. */
  refusedTokens: number;
  heapMiB: { before: number; after: number; samples: number[] };
}

const heapMiB = () => {
  collectGarbage();
  return process.memoryUsage().heapUsed / 2 ** 20;
};

/** A seeded PRNG (mulberry32), so a run's faults can be replayed. */
function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Drives `SOAK_RATE` requests per second for `seconds` through `laceworkProxy()` and a
 * `laceworkAuth()` route (one shared provider, 5 s tokens) against an emulator failing
 * API_FAULT_RATE of API calls (drawn) and every TOKEN_FAULT_EVERY-th exchange.
 */
export async function runSoak({
  seconds,
  overrides = {},
  latencyMs = 0,
  seed = 14,
}: SoakOptions): Promise<SoakReport> {
  const next = random(seed);
  // Lacework `latencyMs` away: a fault delaying every API call, which shadows the random API
  // faults (the emulator uses the first matching fault). That mode measures refresh ahead alone,
  // so it has no token faults either.
  const apiFaultRate = latencyMs ? 0 : API_FAULT_RATE;
  const tokenFaultsOn = !latencyMs;
  let tokenRequests = 0;
  const pick = <T>(list: T[]) => list[Math.floor(next() * list.length)] as T;
  let exchanges = 0;
  let tokenFaults = 0;
  let apiFaults = 0;
  let refusedTokens = 0;
  const emu = await startEmulator({
    rateLimit: false,
    onRequest: (entry) => {
      if (entry.route === 'token') {
        if (entry.status === 201 && !entry.fault) exchanges++;
        tokenRequests++;
        if (tokenFaultsOn && tokenRequests % TOKEN_FAULT_EVERY === 1) {
          tokenFaults++;
          emu.inject({ ...pick(TOKEN_FAULTS), route: 'token' });
        }
      } else if (entry.route === 'api' && [401, 403].includes(entry.status)) {
        // No injected fault answers 401/403: this is the emulator refusing an expired token.
        refusedTokens++;
      }
    },
  });
  if (latencyMs) emu.inject({ route: 'api', delayMs: latencyMs, times: Number.POSITIVE_INFINITY });
  const key = emu.keys[0];
  if (!key) throw new Error('the emulator has no key');
  // Identical options: the route and the proxy share one provider (express README).
  const options = {
    baseUrl: emu.url,
    keyId: key.keyId,
    secret: key.secret,
    env: {},
    expiryTime: SOAK_TOKEN_SECONDS,
    timeout: ATTEMPT_TIMEOUT_MS,
    // The soak sends 40 requests a second, far over Lacework's 480 an hour: the key's rate budget
    // would (rightly) hold them back. It measures recovery from faults, so the budget is off; the
    // budget has its own tests in packages/core and packages/express.
    budget: false as const,
    ...overrides,
  };
  const authErrors: string[] = [];
  const recordAuthError = (error: unknown) => {
    if (!isLaceworkAuthError(error)) return;
    if (
      ['ERR_LW_KEY_REJECTED', 'ERR_LW_UNAUTHORIZED', 'ERR_LW_BAD_RESPONSE'].includes(error.code) ||
      /token (exchange|endpoint)/i.test(error.message)
    ) {
      authErrors.push(error.code);
    }
  };
  const record: ErrorRequestHandler = (err, _req, _res, nextHandler) => {
    recordAuthError(err);
    nextHandler(err);
  };
  const app = express();
  app.use(
    '/lacework',
    // `timeout` (in options) bounds the exchange and each forwarded request alike. Coalescing is
    // off: it hands one upstream answer, an injected fault included, to every client waiting on
    // the same call (by design, see the express README), which would break this soak's accounting
    // of one failed request per injected fault. Coalescing has its own tests in packages/express.
    laceworkProxy({ ...options, coalesce: false, onError: recordAuthError }),
  );
  app.use('/api', laceworkAuth(options));
  app.get('/api/me', async (req, res) => {
    res.json(await requireLacework(req).client.get('UserProfile').json());
  });
  app.use(record, laceworkErrorHandler());
  const server = await listen(app);

  const report: SoakReport = {
    seconds,
    requests: 0,
    ok: 0,
    authFailures: [],
    upstreamFailures: 0,
    hung: 0,
    exchanges: 0,
    expectedExchanges: { min: 0, max: 0 },
    apiFaults: 0,
    tokenFaults: 0,
    refusedTokens: 0,
    heapMiB: { before: 0, after: 0, samples: [] },
  };
  const send = async (path: string) => {
    if (next() < apiFaultRate) {
      apiFaults++;
      emu.inject({ ...pick(API_FAULTS), route: 'api' });
    }
    report.requests++;
    let status: number;
    try {
      const response = await fetch(`${server.url}${path}`, {
        signal: AbortSignal.timeout(CLIENT_TIMEOUT_MS),
      });
      await response.arrayBuffer();
      status = response.status;
    } catch (error) {
      if ((error as Error).name === 'TimeoutError') report.hung++;
      else report.upstreamFailures++; // cut mid-answer: the proxy passing on a stalled/reset body
      return;
    }
    if (status === 200) report.ok++;
    else if (status === 401 || status === 403) report.authFailures.push(`HTTP ${status}`);
    else report.upstreamFailures++;
  };

  const inFlight = new Set<Promise<void>>();
  const started = Date.now();
  const warmUpMs = Math.min(3000, (seconds * 1000) / 4);
  let tick = 0;
  try {
    while (Date.now() - started < seconds * 1000) {
      // Steady rate: requests start on schedule whether or not earlier ones have finished.
      const due = started + (tick * 1000) / SOAK_RATE;
      if (due > Date.now()) await sleep(due - Date.now());
      const request = send(tick % 2 ? '/lacework/UserProfile' : '/api/me');
      inFlight.add(request);
      request.finally(() => inFlight.delete(request));
      tick++;
      if (tick === Math.round((warmUpMs / 1000) * SOAK_RATE)) {
        report.heapMiB.before = heapMiB();
      }
      if (tick % (SOAK_RATE * 2) === 0) {
        // Keep the emulator's request log from growing (it holds up to 10,000 entries).
        emu.resetStats();
        if (report.heapMiB.before) report.heapMiB.samples.push(heapMiB());
      }
    }
    await Promise.all(inFlight);
    report.heapMiB.after = heapMiB();
  } finally {
    await server.close();
    await emu.close();
  }
  report.authFailures.push(...authErrors);
  const lifetimeMs = SOAK_TOKEN_SECONDS * 1000;
  // A background refresh starts two refresh windows before expiry (core README).
  const period = lifetimeMs - 2 * refreshWindowMs(lifetimeMs);
  report.exchanges = exchanges;
  report.expectedExchanges = {
    min: Math.floor((seconds * 1000) / lifetimeMs),
    max: Math.ceil((seconds * 1000) / period) + 2 + tokenFaults,
  };
  report.apiFaults = apiFaults;
  report.tokenFaults = tokenFaults;
  report.refusedTokens = refusedTokens;
  return report;
}

/**
 * API calls that may reach Lacework with a token that expired on the way. Without faults (the
 * latency mode): max(2, 0.5 %) — a token is handed out until one refresh window before expiry,
 * and only event-loop lag longer than that lets it expire on the way; without refresh ahead about
 * 5 % do. With token faults: 5 % — a failed or delayed refresh leaves the old token in service
 * until it expires (core README: "the old token is served"), and the proxy and client replay the
 * refused call with a new token, so clients do not see it.
 */
export const refusedTokensBound = (requests: number, tokenFaults: boolean) =>
  tokenFaults ? Math.floor(requests * 0.05) : Math.max(2, Math.floor(requests * 0.005));

/** Heap growth allowed over a run, MiB (measured after a full GC at both ends). */
export const HEAP_GROWTH_BOUND_MIB = 8;

/** Everything wrong with a soak run; empty when it held. */
export function soakProblems(report: SoakReport): string[] {
  const problems: string[] = [];
  if (report.authFailures.length) {
    problems.push(
      `${report.authFailures.length} auth failure(s): ${report.authFailures.slice(0, 5).join(', ')}`,
    );
  }
  const bound = refusedTokensBound(report.requests, report.tokenFaults > 0);
  if (report.refusedTokens > bound) {
    problems.push(
      `${report.refusedTokens} API call(s) reached Lacework with an expired token (bound ${bound})`,
    );
  }
  const { min, max } = report.expectedExchanges;
  if (report.exchanges < min || report.exchanges > max) {
    problems.push(`${report.exchanges} exchanges, expected ${min}..${max}`);
  }
  if (report.upstreamFailures + report.hung > report.apiFaults) {
    problems.push(
      `${report.upstreamFailures + report.hung} failed requests, more than the ${report.apiFaults} API faults injected`,
    );
  }
  const growth = report.heapMiB.after - report.heapMiB.before;
  if (growth > HEAP_GROWTH_BOUND_MIB) {
    problems.push(`heap grew ${growth.toFixed(1)} MiB (bound ${HEAP_GROWTH_BOUND_MIB})`);
  }
  return problems;
}
