// newman, a 100-request collection: token exchanges (target 1) and the time the pre-request script
// adds per request, against the same collection with a fixed bearer token and no script.
// Runs alternate between the two; the added time is the median of per-round differences.
import { createRequire } from 'node:module';
import { startEmulator } from '@lacework-auth/emulator';
import { createCollection } from '@lacework-auth/postman';
import { emulatorKeys, median, quick, writeResult } from './lib/support.mjs';

const require = createRequire(import.meta.url);
const newman = require('newman');
const REQUESTS = 100;
const ROUNDS = quick ? 2 : 7;

const items = Array.from({ length: REQUESTS }, (_, i) => ({
  name: `profile ${i + 1}`,
  request: { method: 'GET', url: '{{lw_base_url}}/api/v2/UserProfile' },
}));
const withScript = { ...createCollection().toJSON(), item: items };
const bare = {
  info: { name: 'bare', schema: withScript.info.schema },
  auth: { type: 'bearer', bearer: [{ key: 'token', value: '{{lw_token}}', type: 'string' }] },
  item: items,
};
// The same with a one-line collection script in both events: what the sandbox alone costs.
const event = (listen) => ({ listen, script: { type: 'text/javascript', exec: ['void 0;'] } });
const emptyScript = { ...bare, event: [event('prerequest'), event('test')] };

function run(collection, envVar) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    newman.run(
      {
        collection,
        envVar: Object.entries(envVar).map(([key, value]) => ({ key, value })),
        reporters: [],
        ignoreRedirects: true,
      },
      (error, summary) => {
        if (error) return reject(error);
        const failed = summary.run.stats.requests.failed + summary.run.stats.assertions.failed;
        if (failed) return reject(new Error(`${failed} failed requests/assertions`));
        resolve(performance.now() - started);
      },
    );
  });
}

const emu = await startEmulator({ rateLimit: false, keys: emulatorKeys() });
const key = emu.keys[0];
const rounds = [];
try {
  const tokenResponse = await fetch(`${emu.url}/api/v2/access/tokens`, {
    method: 'POST',
    headers: { 'X-LW-UAKS': key.secret, 'Content-Type': 'application/json' },
    body: JSON.stringify({ keyId: key.keyId, expiryTime: 3600 }),
  });
  const { token } = await tokenResponse.json();
  const scriptEnv = { lw_base_url: emu.url, lw_key_id: key.keyId, lw_secret: key.secret };
  const bareEnv = { lw_base_url: emu.url, lw_token: token };
  await run(withScript, scriptEnv); // warm-up
  await run(bare, bareEnv);
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 ? ['bare', 'emptyScript', 'script'] : ['script', 'emptyScript', 'bare'];
    const result = {};
    for (const name of order) {
      emu.resetStats();
      const collection = { script: withScript, emptyScript, bare }[name];
      result[`${name}Ms`] = await run(collection, name === 'script' ? scriptEnv : bareEnv);
      result[`${name}Exchanges`] = emu.stats().exchanges;
      result[`${name}ApiCalls`] = emu.stats().apiCalls;
    }
    rounds.push(result);
  }
} finally {
  await emu.close();
}
const exchanges = Math.max(...rounds.map((r) => r.scriptExchanges));
const addedMsPerRequest = median(rounds.map((r) => (r.scriptMs - r.bareMs) / REQUESTS));
const overSandboxMsPerRequest = median(
  rounds.map((r) => (r.scriptMs - r.emptyScriptMs) / REQUESTS),
);
console.log(`\nnewman, ${REQUESTS}-request collection (${ROUNDS} rounds)`);
console.log(
  `  with the script: ${median(rounds.map((r) => r.scriptMs)).toFixed(0)} ms per run, ${exchanges} exchange(s) per run (target 1)`,
);
console.log(
  `  fixed token, no script: ${median(rounds.map((r) => r.bareMs)).toFixed(0)} ms per run`,
);
console.log(
  `  one-line scripts, fixed token: ${median(rounds.map((r) => r.emptyScriptMs)).toFixed(0)} ms per run`,
);
console.log(
  `  added per request: ${addedMsPerRequest.toFixed(2)} ms over no script, ${overSandboxMsPerRequest.toFixed(2)} ms over one-line scripts (the sandbox's own cost excluded)`,
);
console.log(
  `results written to ${await writeResult('newman', {
    requests: REQUESTS,
    rounds,
    exchanges,
    addedMsPerRequest,
    overSandboxMsPerRequest,
  })}`,
);
