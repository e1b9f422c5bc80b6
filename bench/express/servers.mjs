// One server under test (argv[4]: bare | auth | authToken | proxy | hpm), an Express app on a
// loopback port, in its own process: the load generator in the parent does not share its event
// loop, and the cases do not share JIT state or garbage collection.
import http from 'node:http';
import { load, loadModule } from './deps.mjs';

const upstream = process.argv[2];
const token = process.argv[3];
const which = process.argv[4];
if (!upstream || !token || !which) {
  throw new Error('usage: servers.mjs <upstream url> <token> <case>');
}

const express = await load('express');
const { laceworkAuth, laceworkProxy } = await loadModule('@lacework-auth/express');
const { createProxyMiddleware } = await loadModule('http-proxy-middleware');

const key = {
  baseUrl: upstream,
  keyId: 'BENCH_0123456789ABCDEF0123456789ABCDEF0123456789AB',
  secret: '_0123456789abcdef0123456789abcdef',
  env: {},
};
const hello = (_req, res) => {
  res.json({ hello: 'world' });
};

function bare() {
  const app = express();
  app.get('/hello', hello);
  return app;
}

function auth() {
  const app = express();
  app.use(laceworkAuth(key));
  app.get('/hello', hello);
  return app;
}

function authToken() {
  const app = express();
  app.use(laceworkAuth(key));
  app.get('/hello', async (req, res) => {
    const { token: t } = await req.lacework.getToken();
    res.json({ hello: 'world', tokenLength: t.length });
  });
  return app;
}

// Both proxies get the same kind of keep-alive agent, so the comparison is about the proxies.
const agent = () => new http.Agent({ keepAlive: true });

function proxy() {
  const app = express();
  // Like for like with http-proxy-middleware: every request goes upstream (no coalescing of the
  // identical concurrent GETs autocannon sends) and no rate budget (this measures the proxy, not
  // Lacework's limit; dashboard.mjs measures that).
  app.use('/lw', laceworkProxy({ ...key, agent: agent(), coalesce: false, budget: false }));
  return app;
}

function hpm() {
  const app = express();
  app.use(
    '/lw',
    createProxyMiddleware({
      target: `${upstream}/api/v2`,
      changeOrigin: true,
      agent: agent(),
      headers: { authorization: `Bearer ${token}` },
    }),
  );
  return app;
}

const apps = { bare, auth, authToken, proxy, hpm };
const make = apps[which];
if (!make) throw new Error(`unknown case ${which}`);
const server = http.createServer(make());
server.keepAliveTimeout = 30_000;
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
process.send?.({ url: `http://127.0.0.1:${server.address().port}` });
// CPU time is what this process spent, whoever else loads the machine: the steadiest measure here.
process.on('message', (message) => {
  if (message === 'cpu') process.send?.({ cpu: process.cpuUsage() });
});
process.on('disconnect', () => process.exit(0));
