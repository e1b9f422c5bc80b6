// Found by the fault matrix and fixed in @lacework-auth/express (shared-provider.ts):
// laceworkAuth() takes core's provider options, `retry`, `timeout` and `fetch` included, and
// req.lacework.client now honours them for its API calls as core documents (it was built from the
// token provider alone, so API calls kept core's defaults: 2 retries, 30 s).
import { type Emulator, startEmulator } from '@lacework-auth/emulator';
import { laceworkAuth, laceworkErrorHandler, requireLacework } from '@lacework-auth/express';
import express from 'express';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { type Listening, listen } from './support/servers.js';

let emu: Emulator;
let server: Listening;
beforeEach(async () => {
  emu = await startEmulator({ rateLimit: false });
  const key = emu.keys[0];
  if (!key) throw new Error('no key');
  const app = express();
  app.use(
    '/api',
    laceworkAuth({ baseUrl: emu.url, keyId: key.keyId, secret: key.secret, env: {}, retry: 0 }),
  );
  app.get('/api/me', async (req, res) => {
    res.json(await requireLacework(req).client.get('UserProfile').json());
  });
  app.use(laceworkErrorHandler());
  server = await listen(app);
});
afterEach(async () => {
  await server.close();
  await emu.close();
});

it('control: without a fault the route answers 200 with one API call', async () => {
  expect((await fetch(`${server.url}/api/me`)).status).toBe(200);
  expect(emu.stats().apiCalls).toBe(1);
});

it('laceworkAuth({ retry: 0 }): a 500 from Lacework is not retried by req.lacework.client', async () => {
  emu.inject({ route: 'api', status: 500 });
  const response = await fetch(`${server.url}/api/me`);
  expect(response.status).toBe(502);
  expect(emu.requests().filter((entry) => entry.route === 'api')).toHaveLength(1);
});
