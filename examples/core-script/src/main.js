// @ts-check
import { createLaceworkClient, createTokenProvider, resolveCredentials } from '@lacework-auth/core';
// The repository's demo plumbing (LW_* or an embedded emulator): not needed in your own code.
import { runAsScript } from '@lacework-auth/test-kit';

/**
 * Gets a token once, then makes many API calls with the client: the token is reused, not
 * exchanged per call. The alerts of the last 24 hours come from `paginate()`, which follows
 * `paging.urls.nextPage` across pages.
 *
 * @param {{ baseUrl: string, keyId: string, secret: string, subAccount?: string,
 *   log?: (line: string) => void, calls?: number }} options
 * @returns {Promise<{ exchanges: number, requestsServed: number, tokensReused: number,
 *   user: string | undefined, cloudAccounts: number, alerts: number, alertPages: number }>}
 */
export async function run({ baseUrl, keyId, secret, subAccount, log = console.log, calls = 20 }) {
  let exchanges = 0;
  let requestsServed = 0;
  const provider = createTokenProvider({
    baseUrl,
    keyId,
    secret,
    subAccount,
    env: {},
    // Counting exchanges here works against Lacework and the emulator alike.
    fetch: (input, init) => {
      exchanges++;
      return fetch(input, init);
    },
  });
  const { expiresAt } = await provider.getToken();
  log(`token obtained for ${provider.baseUrl}, valid until ${expiresAt.toISOString()}`);

  const lacework = createLaceworkClient({
    tokenProvider: provider,
    fetch: (input, init) => {
      requestsServed++;
      return fetch(input, init);
    },
  });
  /** @type {{ data?: Array<{ username?: string }> }} */
  const profile = await lacework.get('UserProfile').json();
  const user = profile.data?.[0]?.username;
  log(`GET UserProfile → ${user ?? '(no username)'}`);

  let cloudAccounts = 0;
  for await (const _integration of lacework.paginate('CloudAccounts')) cloudAccounts++;
  log(`GET CloudAccounts → ${cloudAccounts} integration(s)`);

  // A search window may span 7 days at most; an empty search (204) simply yields nothing.
  const before = requestsServed;
  const now = Date.now();
  const timeFilter = {
    startTime: new Date(now - 24 * 3600_000).toISOString(),
    endTime: new Date(now).toISOString(),
  };
  /** @type {Record<string, number>} */
  const bySeverity = {};
  let alerts = 0;
  /** @type {AsyncIterable<{ severity?: string }>} */
  const found = lacework.paginate('Alerts/search', { json: { timeFilter, returns: ['severity'] } });
  for await (const alert of found) {
    alerts++;
    const severity = alert.severity ?? 'Unknown';
    bySeverity[severity] = (bySeverity[severity] ?? 0) + 1;
  }
  const alertPages = requestsServed - before;
  const counts = Object.entries(bySeverity).map(([severity, n]) => `${n} ${severity}`);
  log(
    `POST Alerts/search (last 24 h) → ${alerts} alert(s) over ${alertPages} page(s)${counts.length ? `: ${counts.join(', ')}` : ''}`,
  );

  const more = Math.max(0, calls - requestsServed);
  await Promise.all(Array.from({ length: more }, () => lacework.get('UserProfile').json()));
  log(
    `${requestsServed} API calls made with ${exchanges} token exchange(s); ${requestsServed - exchanges} reused the cached token`,
  );
  return {
    exchanges,
    requestsServed,
    tokensReused: requestsServed - exchanges,
    user,
    cloudAccounts,
    alerts,
    alertPages,
  };
}

/** @param {string} line */
function printLine(line) {
  console.log(`core-script: ${line}`);
}

// `node src/main.js`: against the account of LW_* when they are set, else the embedded emulator
// (two alerts per page, so that paginate() has pages to follow).
runAsScript(import.meta.url, 'core-script', {
  // The key as the Lacework CLI finds it (LW_*, then ~/.lacework.toml).
  lacework: async () => run({ ...(await resolveCredentials()), log: printLine }),
  emulator: (key) => run({ ...key, log: printLine }),
  emulatorOptions: { pageSize: 2 },
});
