// One member of a test fleet: its own process with a token provider on a redisStore (the built
// package), driven by the test over IPC. Settings come from the environment.
import { createTokenProvider } from '@lacework-auth/core';
import { redisStore } from '../../dist/index.js';

const env = process.env;
const warnings = [];
const onWarning = (message) => warnings.push(message);
const number = (name) => (env[name] ? Number(env[name]) : undefined);

let client;
if (env.CLIENT === 'ioredis') {
  // A client as an application would make it: defaults (offline queue on), an error listener.
  const { Redis } = await import('ioredis');
  client = new Redis(env.REDIS_URL);
  client.on('error', () => undefined);
}
const store = redisStore({
  ...(client ? { client } : { url: env.REDIS_URL }),
  prefix: env.PREFIX,
  lockTtlMs: number('LOCK_TTL_MS'),
  commandTimeoutMs: number('COMMAND_TIMEOUT_MS'),
  retryMs: number('RETRY_MS'),
  onWarning,
});
const provider = createTokenProvider({
  baseUrl: env.EMU_URL,
  keyId: env.KEY_ID,
  secret: env.SECRET,
  env: {},
  retry: 0,
  expiryTime: number('EXPIRY_TIME'),
  store,
  onWarning,
});

async function getTokens(count) {
  return Promise.all(
    Array.from({ length: count }, async () => {
      const { token, expiresAt } = await provider.getToken();
      return { token, expiresAt: expiresAt.getTime(), servedAt: Date.now() };
    }),
  );
}

const ops = {
  get: (message) => getTokens(message.n ?? 1),
  invalidate: () => provider.invalidate(),
  warnings: async () => warnings,
};

process.on('message', async (message) => {
  try {
    const result = await ops[message.op](message);
    process.send({ id: message.id, result });
  } catch (error) {
    process.send({ id: message.id, error: `${error?.name}: ${error?.code ?? ''}` });
  }
});
process.on('disconnect', () => process.exit(0));
process.send({ ready: true });
