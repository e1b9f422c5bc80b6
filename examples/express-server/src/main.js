// @ts-check
import { resolveCredentials } from '@lacework-auth/core';
import {
  laceworkAuth,
  laceworkErrorHandler,
  laceworkProxy,
  requireLacework,
} from '@lacework-auth/express';
// The repository's demo plumbing (LW_* or an embedded emulator): not needed in your own code.
import { runAsScript } from '@lacework-auth/test-kit';
import express from 'express';
import { rateLimit } from 'express-rate-limit';

/**
 * @typedef {{ baseUrl: string, keyId: string, secret: string, subAccount?: string,
 *   fetch?: typeof fetch }} KeyOptions
 */

/**
 * The example server: `/api/me` and `/api/alerts` call Lacework from routes through
 * `req.lacework.client` (`/api/alerts` pages through a search with `client.paginate()`), and
 * `/lacework/*` is a proxy to the Lacework API limited to a few read-only routes. Both use the
 * same options, so they share one token provider (one exchange, one cached token).
 *
 * Every client shares the key's Lacework budget (about 480 requests/hour), so express-rate-limit
 * gives each client (by IP) its own share in front of the proxy and the routes: over it, that
 * client gets 429 from express-rate-limit and nothing reaches Lacework. When Lacework's own limit
 * for the key is reached, every client gets 503 `ERR_LW_RATE_LIMITED` with `Retry-After`, from
 * the proxy and from laceworkErrorHandler alike.
 *
 * @param {KeyOptions} key
 * @param {{ perClientLimit?: number }} [limits] requests per client per minute (default 30)
 */
export function createApp(key, { perClientLimit = 30 } = {}) {
  const options = { ...key, env: {} };
  const app = express();
  app.get('/healthz', (_req, res) => {
    res.json({ ok: true });
  });
  const perClient = rateLimit({
    windowMs: 60_000,
    limit: perClientLimit,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    message: { error: { code: 'TOO_MANY_REQUESTS', message: 'Too many requests; slow down.' } },
  });
  app.use(['/api', '/lacework'], perClient);
  app.use('/api', laceworkAuth(options));
  app.get('/api/me', async (req, res) => {
    /** @type {{ data?: Array<{ username?: string }> }} */
    const profile = await requireLacework(req).client.get('UserProfile').json();
    res.json({ user: profile.data?.[0]?.username ?? null });
  });
  // The last day's alerts counted by severity: paginate() follows paging.urls.nextPage.
  app.get('/api/alerts', async (req, res) => {
    const now = Date.now();
    const timeFilter = {
      startTime: new Date(now - 86_400_000).toISOString(),
      endTime: new Date(now).toISOString(),
    };
    /** @type {Record<string, number>} */
    const bySeverity = {};
    /** @type {AsyncIterable<{ severity?: string }>} */
    const alerts = requireLacework(req).client.paginate('Alerts/search', {
      json: { timeFilter, returns: ['severity'] },
    });
    for await (const { severity = 'Unknown' } of alerts) {
      bySeverity[severity] = (bySeverity[severity] ?? 0) + 1;
    }
    res.json({ bySeverity });
  });
  app.use(
    '/lacework',
    laceworkProxy({
      ...options,
      allow: ['GET UserProfile', 'GET CloudAccounts', 'POST Alerts/search'],
    }),
  );
  app.use(laceworkErrorHandler());
  return app;
}

/**
 * Starts the server on a random loopback port, makes a few requests like a browser would, and
 * stops it.
 *
 * @param {KeyOptions & { log?: (line: string) => void }} options
 * @returns {Promise<{ exchanges: number, requestsServed: number, proxied: number, refused: number,
 *   tokensReused: number, user: string | null }>}
 */
export async function run({ baseUrl, keyId, secret, subAccount, log = console.log }) {
  let exchanges = 0;
  /** @type {typeof fetch} */
  const countingFetch = (input, init) => {
    // laceworkAuth's `fetch` carries the token exchange and the client's API calls alike.
    const url = input instanceof Request ? input.url : String(input);
    if (new URL(url).pathname === '/api/v2/access/tokens') exchanges++;
    return fetch(input, init);
  };
  const app = createApp({ baseUrl, keyId, secret, subAccount, fetch: countingFetch });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  log(`express-server: listening at ${url}, Lacework at ${baseUrl}`);

  let requestsServed = 0;
  let proxied = 0;
  let refused = 0;
  /** @param {string} path @param {RequestInit} [init] */
  const call = async (path, init) => {
    const res = await fetch(`${url}${path}`, init);
    const body = await res.text();
    requestsServed++;
    log(`express-server: ${init?.method ?? 'GET'} ${path} → ${res.status}`);
    return { status: res.status, body };
  };

  try {
    await call('/healthz');
    const me = await call('/api/me');
    const user = me.status === 200 ? JSON.parse(me.body).user : null;
    await call('/api/alerts');
    for (const path of ['/lacework/UserProfile', '/lacework/CloudAccounts']) {
      if ((await call(path)).status === 200) proxied++;
    }
    const search = await call('/lacework/Alerts/search', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        timeFilter: {
          startTime: new Date(Date.now() - 86_400_000).toISOString(),
          endTime: new Date().toISOString(),
        },
      }),
    });
    if (search.status === 200) proxied++;
    // What the proxy refuses: a path escape, a route outside the allow-list, a token request.
    for (const path of [
      '/lacework/..%2f..%2fadmin',
      '/lacework/AccessKeys',
      '/lacework/access/tokens',
    ]) {
      if ((await call(path)).status >= 400) refused++;
    }
    log(
      `express-server: ${requestsServed} requests served (${proxied} proxied, ${refused} refused) with ${exchanges} token exchange(s)`,
    );
    // A demo that cannot reach Lacework (a wrong key, an unreachable URL) must not look like one
    // that worked: the statuses above say which calls failed.
    if (me.status !== 200 || proxied !== 3) {
      throw new Error(
        `the calls to Lacework failed (/api/me answered ${me.status}; ${proxied} of 3 proxied calls answered 200): check the key and the account (LW_*)`,
      );
    }
    return {
      exchanges,
      requestsServed,
      proxied,
      refused,
      tokensReused: 2 + proxied - exchanges,
      user,
    };
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

// `node src/main.js`: against the account of LW_* when they are set, else the embedded emulator.
runAsScript(import.meta.url, 'express-server', {
  // The key as the Lacework CLI finds it (LW_*, then ~/.lacework.toml).
  lacework: async () => run(await resolveCredentials()),
  emulator: run,
});
