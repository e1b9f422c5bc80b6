// @ts-check
// One server of the fleet, in its own process: Express with @lacework-auth/express, its tokens in
// Redis through @lacework-auth/redis. Started by main.js with fork(); tells it its port over IPC.
import { laceworkAuth, laceworkErrorHandler, laceworkProxy } from '@lacework-auth/express';
import { redisStore } from '@lacework-auth/redis';
import express from 'express';

const env = process.env;
let exchanges = 0;
/** @type {typeof fetch} */
const countingFetch = (input, init) => {
  exchanges++;
  return fetch(input, init);
};

const options = {
  baseUrl: env.LW_BASE_URL,
  keyId: env.LW_API_KEY,
  secret: env.LW_API_SECRET,
  subAccount: env.LW_SUBACCOUNT || undefined,
  env: {},
  fetch: countingFetch,
  // One store per process, as in production: every server of the fleet shares its token.
  store: redisStore({ url: /** @type {string} */ (env.REDIS_URL), prefix: 'express-fleet:' }),
};

const app = express();
app.use('/api', laceworkAuth(options));
app.get('/api/whoami', (_req, res) => {
  res.json({ pid: process.pid, exchanges });
});
app.use('/lacework', laceworkProxy({ ...options, allow: ['GET UserProfile'] }));
app.use(laceworkErrorHandler());

const server = app.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.send?.({ port: typeof address === 'object' && address ? address.port : 0 });
});
process.on('message', (message) => {
  if (message === 'stats') process.send?.({ exchanges });
});
process.on('disconnect', () => process.exit(0));
