#!/usr/bin/env node
// `pnpm demo`: the whole flow, one example per package, against the embedded emulator — or against a
// real Lacework account when LW_ACCOUNT (or LW_API_SERVER_URL), LW_API_KEY and LW_API_SECRET are set.
import { startEmulator } from '@lacework-auth/emulator';

const examples = [
  ['core-script', 'Script with @lacework-auth/core'],
  ['postman', 'Postman collection run by newman'],
  ['cdktf-stack', 'Terraform CDK stack (synthesis)'],
  ['express-server', 'Express middleware and proxy'],
  ['express-fleet', 'A fleet of 4 Express processes sharing one token through Redis'],
];

const env = process.env;
const real = Boolean(
  (env.LW_ACCOUNT || env.LW_API_SERVER_URL) && env.LW_API_KEY && env.LW_API_SECRET,
);

function log(line) {
  process.stdout.write(`    ${line}\n`);
}

async function target() {
  if (real) {
    const { resolveBaseUrl } = await import('@lacework-auth/core');
    const baseUrl = env.LW_API_SERVER_URL
      ? resolveBaseUrl(env.LW_API_SERVER_URL, { allowAnyHost: true })
      : resolveBaseUrl(env.LW_ACCOUNT);
    return {
      ctx: {
        baseUrl,
        keyId: env.LW_API_KEY,
        secret: env.LW_API_SECRET,
        subAccount: env.LW_SUBACCOUNT,
      },
      stats: undefined,
      close: async () => {},
      where: `the Lacework account at ${baseUrl} (from LW_* variables)`,
    };
  }
  // Two alerts per page, so that the examples' paginate() calls have pages to follow.
  const emulator = await startEmulator({ pageSize: 2 });
  const [key] = emulator.keys;
  return {
    ctx: { baseUrl: emulator.url, keyId: key.keyId, secret: key.secret, subAccount: undefined },
    stats: () => emulator.stats(),
    close: () => emulator.close(),
    where: `the embedded Lacework emulator at ${emulator.url} (set LW_ACCOUNT, LW_API_KEY, LW_API_SECRET for a real account)`,
  };
}

const t = await target();
console.log(`lacework-auth demo against ${t.where}\n`);
let failed = 0;
for (const [dir, title] of examples) {
  const before = t.stats?.();
  const started = performance.now();
  console.log(`▸ ${title} (examples/${dir})`);
  try {
    const { run } = await import(new URL(`../examples/${dir}/src/main.js`, import.meta.url).href);
    await run({ ...t.ctx, log });
    const ms = Math.round(performance.now() - started);
    if (before) {
      const after = t.stats();
      const exchanges = after.exchanges - before.exchanges;
      const calls = after.apiCalls - before.apiCalls;
      log(`emulator saw ${exchanges} token exchange(s) and ${calls} API call(s) — ${ms} ms`);
    } else {
      log(`done in ${ms} ms`);
    }
  } catch (error) {
    if (error?.code === 'ERR_NO_REDIS_SERVER') {
      // No redis-server here and none could be installed: the rest of the demo still runs.
      log(`skipped: ${error.message.replaceAll('\n', '\n    ')}`);
    } else {
      failed++;
      log(`FAILED: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  console.log('');
}
if (t.stats) {
  const s = t.stats();
  console.log(
    `Summary: ${s.exchanges} token exchange(s) served ${s.apiCalls} API call(s); ${s.rateLimited} rate-limited, ${s.rejected} rejected.`,
  );
}
await t.close();
if (failed) {
  console.error(`${failed} example(s) failed.`);
  process.exitCode = 1;
}
