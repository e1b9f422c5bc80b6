import {
  type LaceworkProxyOptions,
  laceworkAuth,
  laceworkErrorHandler,
  laceworkProxy,
  requireLacework,
} from '@lacework-auth/express';
import express from 'express';

export function server(): express.Express {
  const app = express();
  app.use('/api', laceworkAuth({ account: 'acme' }));
  app.get('/api/me', async (req, res) => {
    res.json(await requireLacework(req).client.get('UserProfile').json());
  });
  const proxy: LaceworkProxyOptions = {
    account: 'acme',
    rateLimitStatus: 429,
    on: { proxyRes: (proxyRes) => void proxyRes.statusCode },
  };
  app.use('/lw', laceworkProxy(proxy));
  app.use(laceworkErrorHandler({ logger: console }));
  return app;
}
