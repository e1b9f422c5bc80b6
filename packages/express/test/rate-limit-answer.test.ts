import express from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { laceworkAuth, requireLacework } from '../src/auth.js';
import { laceworkErrorHandler } from '../src/error-handler.js';
import { laceworkProxy } from '../src/proxy/proxy.js';
import { emulator, keyOptions } from './support/servers.js';

// One answer for "Lacework's rate limit on the server's key", whichever middleware meets it.
describe('rate-limit answer', () => {
  it('the same body, status and Retry-After on a laceworkAuth route; both take rateLimitStatus: 429', async () => {
    const emu = await emulator();
    try {
      for (const rateLimitStatus of [undefined, 429] as const) {
        const options = { ...keyOptions(emu), retry: 0 };
        const app = express();
        app.use('/lw', laceworkProxy(rateLimitStatus ? { ...options, rateLimitStatus } : options));
        app.use('/api', laceworkAuth(options));
        app.get('/api/me', async (req, res) => {
          res.json(await requireLacework(req).client.get('UserProfile').json());
        });
        app.use(laceworkErrorHandler(rateLimitStatus ? { rateLimitStatus } : {}));
        const answers = [];
        for (const path of ['/lw/UserProfile', '/api/me']) {
          emu.inject({
            route: '/api/v2/UserProfile',
            status: 429,
            headers: { 'Retry-After': '60' },
          });
          answers.push(await request(app).get(path));
        }
        const [proxy, auth] = answers as [request.Response, request.Response];
        expect(proxy.status).toBe(rateLimitStatus ?? 503);
        expect(auth.status).toBe(proxy.status);
        expect(auth.body).toEqual(proxy.body);
        expect(proxy.body.error.code).toBe('ERR_LW_RATE_LIMITED');
        expect(proxy.headers['retry-after']).toBe('60');
        expect(auth.headers['retry-after']).toBe('60');
      }
    } finally {
      await emu.close();
    }
  });
});
