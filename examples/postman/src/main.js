// @ts-check
import { createRequire } from 'node:module';
import { createCollection } from '@lacework-auth/postman';
// The repository's demo plumbing (LW_* or an embedded emulator): not needed in your own code.
import { runAsScript } from '@lacework-auth/test-kit';

const require = createRequire(import.meta.url);
/** newman is CommonJS and ships no types. @type {{ run: Function }} */
const newman = require('newman');

const TOKEN_PATH = '/api/v2/access/tokens';
// Starter requests the emulator also serves; the full collection has more for real accounts.
const REQUESTS = ['Get user profile', 'List cloud accounts', 'Search alerts (last 24 hours)'];

/**
 * Generates the Lacework collection, keeps three of its starter requests, and runs them with
 * newman for a few iterations: the collection's own script exchanges the key once and every
 * later request reuses the token.
 *
 * @param {{ baseUrl: string, keyId: string, secret: string, subAccount?: string,
 *   log?: (line: string) => void, iterations?: number }} options
 * @returns {Promise<{ exchanges: number, requestsServed: number, tokensReused: number,
 *   failures: number, statuses: Record<string, number> }>}
 */
export async function run({ log = console.log, iterations = 5, ...lacework }) {
  /** @type {any} */
  const collection = createCollection({ name: 'Lacework API v2 (example)' }).toJSON();
  const folders = collection.item;
  collection.item = folders.flatMap((/** @type {any} */ folder) =>
    folder.item.filter((/** @type {any} */ item) => REQUESTS.includes(item.name)),
  );
  log(
    `generated "${collection.info.name}" (${folders.length} folders); running ${collection.item.length} of its requests × ${iterations} iterations with newman`,
  );

  let exchanges = 0;
  let requestsServed = 0;
  /** @type {Record<string, number>} */
  const statuses = {};
  const summary = await new Promise((resolve, reject) => {
    newman
      .run(
        {
          collection,
          iterationCount: iterations,
          envVar: [
            { key: 'lw_base_url', value: lacework.baseUrl },
            { key: 'lw_key_id', value: lacework.keyId },
            ...(lacework.subAccount ? [{ key: 'lw_sub_account', value: lacework.subAccount }] : []),
          ],
          // As iteration data the secret stays out of newman's reports (it dumps the environment).
          iterationData: [{ lw_secret: lacework.secret }],
          // pm.sendRequest follows redirects with every header, X-LW-UAKS included; with this the
          // script sees a 3xx from the token endpoint and fails instead.
          ignoreRedirects: true,
          reporters: [],
        },
        (/** @type {Error | null} */ error, /** @type {any} */ result) =>
          error ? reject(error) : resolve(result),
      )
      .on('request', (/** @type {unknown} */ _error, /** @type {any} */ event) => {
        const path = `/${event.request.url.path.join('/')}`;
        if (path === TOKEN_PATH) {
          exchanges++;
          return;
        }
        if (event.response) {
          requestsServed++;
          const key = `${event.request.method} ${path} ${event.response.code}`;
          statuses[key] = (statuses[key] ?? 0) + 1;
        }
      });
  });
  /** @type {{ error: { message: string } }[]} */
  const failures = /** @type {any} */ (summary).run.failures;
  for (const [request, count] of Object.entries(statuses)) log(`${request} × ${count}`);
  for (const failure of failures) log(`failed: ${failure.error.message}`);
  // Failed exchanges (a wrong key, Lacework unreachable) leave no requests to reuse a token.
  const tokensReused = Math.max(0, requestsServed - exchanges);
  log(
    `${requestsServed} requests sent by newman with ${exchanges} token exchange(s); ${tokensReused} reused the cached token`,
  );
  return {
    exchanges,
    requestsServed,
    tokensReused,
    failures: failures.length,
    statuses,
  };
}

/** @param {string} line */
function printLine(line) {
  console.log(`postman: ${line}`);
}

/**
 * `node src/main.js` fails when a request failed.
 * @param {Parameters<typeof run>[0]} options
 */
async function runChecked(options) {
  const summary = await run({ ...options, log: printLine });
  if (summary.failures > 0) process.exitCode = 1;
  return summary;
}

// `node src/main.js`: against the account of LW_* when they are set, else the embedded emulator.
runAsScript(import.meta.url, 'postman', {
  lacework: ({ apiServerUrl, account, keyId, secret, subAccount }) =>
    // The collection's script turns an account name into https://<account>.lacework.net itself.
    runChecked({ baseUrl: apiServerUrl ?? account ?? '', keyId, secret, subAccount }),
  emulator: runChecked,
});
