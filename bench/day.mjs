// A simulated day with 1 h tokens on a fake clock: token exchanges made by
//   - @lacework-auth/core's provider (single flight, background refresh ahead of expiry),
//   - the refresh count (the fewest exchanges a day of 1 h tokens needs: 24),
//   - a naive client (an exchange per call),
//   - the official SDKs' behaviour: before every request the token is checked and re-minted
//     once it has expired (no margin), by whichever caller finds it expired, with no single flight
//     (go-sdk api/auth.go TokenExpired() and api/http.go; python-sdk laceworksdk/http_session.py
//     _check_access_token()). Modelled here as a cache that each caller checks on its own.
// Load: WORKERS callers, each making a call every STEP of simulated time, all at the same instant
// (a scheduled job fanning out, or a server handling a burst). The clock is faked by replacing
// Date (the emulator in this process reads the same clock, so tokens expire in simulated time).
import { createTokenProvider } from '@lacework-auth/core';
import { startEmulator } from '@lacework-auth/emulator';
import { emulatorKeys, quick, writeResult } from './lib/support.mjs';

const DAY_MS = 24 * 3_600_000;
const STEP_MS = 60_000;
const WORKERS = 8;
const EXPIRY_TIME = 3600;
const SIMULATED_MS = quick ? DAY_MS / 8 : DAY_MS;

const RealDate = Date;
let now = RealDate.now();
class FakeDate extends RealDate {
  constructor(...args) {
    if (args.length === 0) super(now);
    else super(...args);
  }
  static now() {
    return now;
  }
}
globalThis.Date = FakeDate;

const emu = await startEmulator({ rateLimit: false, keys: emulatorKeys() });
const key = emu.keys[0];
const exchangeUrl = `${emu.url}/api/v2/access/tokens`;

async function exchange() {
  const response = await fetch(exchangeUrl, {
    method: 'POST',
    headers: { 'X-LW-UAKS': key.secret, 'Content-Type': 'application/json' },
    body: JSON.stringify({ keyId: key.keyId, expiryTime: EXPIRY_TIME }),
  });
  if (!response.ok) throw new Error(`exchange answered HTTP ${response.status}`);
  const { token, expiresAt } = await response.json();
  return { token, expiresAt: RealDate.parse(expiresAt) };
}

/** The official SDKs' model: re-mint once expired (no margin), per caller, no single flight. */
function sdkModel() {
  let cached;
  return async () => {
    if (!cached || Date.now() >= cached.expiresAt) cached = await exchange();
    return cached.token;
  };
}

const models = {
  core: () => {
    const provider = createTokenProvider({
      baseUrl: emu.url,
      keyId: key.keyId,
      secret: key.secret,
      env: {},
      expiryTime: EXPIRY_TIME,
    });
    return async () => (await provider.getToken()).token;
  },
  sdk: sdkModel,
  naive: () => async () => (await exchange()).token,
};

const results = {};
try {
  for (const [name, make] of Object.entries(models)) {
    now = RealDate.now();
    const startedAt = now;
    emu.resetStats();
    const getToken = make();
    let calls = 0;
    let expiredTokensUsed = 0;
    for (let t = 0; t < SIMULATED_MS; t += STEP_MS) {
      now = startedAt + t;
      const tokens = await Promise.all(Array.from({ length: WORKERS }, () => getToken()));
      calls += WORKERS;
      // A token the emulator would refuse now: it must never be handed out.
      for (const token of new Set(tokens)) {
        const response = await fetch(`${emu.url}/api/v2/Echo`, {
          headers: { Authorization: `Bearer ${token}` },
        });
        if (!(await response.json()).tokenValid) {
          expiredTokensUsed += tokens.filter((t) => t === token).length;
        }
      }
      // Let background refreshes started by this burst land before the clock moves on.
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    results[name] = { calls, exchanges: emu.stats().exchanges, expiredTokensUsed };
  }
} finally {
  globalThis.Date = RealDate;
  await emu.close();
}

const hours = SIMULATED_MS / 3_600_000;
const refreshCount = Math.ceil(SIMULATED_MS / (EXPIRY_TIME * 1000));
console.log(
  `\nsimulated ${hours} h, 1 h tokens, ${WORKERS} callers every ${STEP_MS / 1000} s (${results.core.calls} calls)`,
);
console.log(`  refresh count (fewest possible): ${refreshCount}`);
for (const [name, label] of [
  ['core', '@lacework-auth/core'],
  ['sdk', 'official SDK model (after expiry, no single flight)'],
  ['naive', 'naive (exchange per call)'],
]) {
  const r = results[name];
  console.log(
    `  ${label}: ${r.exchanges} exchanges (${(r.exchanges / refreshCount).toFixed(2)}× the refresh count), expired tokens handed out: ${r.expiredTokensUsed}`,
  );
}
console.log(
  `results written to ${await writeResult('day', {
    settings: { simulatedHours: hours, stepMs: STEP_MS, workers: WORKERS, expiryTime: EXPIRY_TIME },
    refreshCount,
    ...results,
  })}`,
);
