// @ts-check
import { fileURLToPath } from 'node:url';
import { createLaceworkClient, createTokenProvider } from '@lacework-auth/core';

/**
 * Gets a token once, then makes many API calls with the client: the token is reused, not
 * exchanged per call.
 *
 * @param {{ baseUrl: string, keyId: string, secret: string, subAccount?: string,
 *   log?: (line: string) => void, calls?: number }} options
 * @returns {Promise<{ exchanges: number, requestsServed: number, tokensReused: number,
 *   user: string | undefined, cloudAccounts: number }>}
 */
export async function run({ baseUrl, keyId, secret, subAccount, log = console.log, calls = 20 }) {
  let exchanges = 0;
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

  const lacework = createLaceworkClient({ tokenProvider: provider });
  /** @type {{ data?: Array<{ username?: string }> }} */
  const profile = await lacework.get('UserProfile').json();
  const user = profile.data?.[0]?.username;
  log(`GET UserProfile → ${user ?? '(no username)'}`);

  /** @type {{ data?: unknown[] }} */
  const accounts = await lacework.get('CloudAccounts').json();
  const cloudAccounts = Array.isArray(accounts.data) ? accounts.data.length : 0;
  log(`GET CloudAccounts → ${cloudAccounts} integration(s)`);

  const more = Math.max(0, calls - 2);
  await Promise.all(Array.from({ length: more }, () => lacework.get('UserProfile').json()));
  const requestsServed = 2 + more;
  log(
    `${requestsServed} API calls made with ${exchanges} token exchange(s); ${requestsServed - exchanges} reused the cached token`,
  );
  return {
    exchanges,
    requestsServed,
    tokensReused: requestsServed - exchanges,
    user,
    cloudAccounts,
  };
}

/** @param {string} line */
function printLine(line) {
  console.log(`core-script: ${line}`);
}

async function runFromCommandLine() {
  const env = process.env;
  if (env.LW_API_KEY && env.LW_API_SECRET && (env.LW_ACCOUNT || env.LW_API_SERVER_URL)) {
    const { resolveCredentials } = await import('@lacework-auth/core');
    const credentials = await resolveCredentials();
    return run({ ...credentials, log: printLine });
  }
  const { startEmulator } = await import('@lacework-auth/emulator');
  const emulator = await startEmulator();
  try {
    const key = emulator.keys[0];
    if (!key) throw new Error('the emulator has no key');
    console.log(`core-script: no LW_* credentials set; using a local emulator at ${emulator.url}`);
    const summary = await run({
      baseUrl: emulator.url,
      keyId: key.keyId,
      secret: key.secret,
      log: printLine,
    });
    console.log(`core-script: emulator counted ${emulator.stats().exchanges} exchange(s)`);
    return summary;
  } finally {
    await emulator.close();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  runFromCommandLine().catch((error) => {
    console.error(`core-script: ${error?.message ?? error}`);
    process.exitCode = 1;
  });
}
