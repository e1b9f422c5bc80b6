import { createTokenProvider } from '@lacework-auth/core';
import type { Emulator } from '@lacework-auth/emulator';
import { sharedEmulator } from '@lacework-auth/test-kit/vitest';
import express from 'express';
import request from 'supertest';
import { beforeEach, describe, expect, it } from 'vitest';
import { laceworkAuth, requireLacework } from '../src/auth.js';
import { laceworkErrorHandler } from '../src/error-handler.js';
import { keyOptions } from './support/servers.js';

const emu = await sharedEmulator({ rateLimit: false });
let expiryTime = 1000;
beforeEach(() => emu.resetRateLimit());

/** An app whose only route needs a token; each call gets its own provider (no shared cache). */
function app(handlerOptions: Parameters<typeof laceworkErrorHandler>[0], env = 'development') {
  const lw = express();
  lw.set('env', env);
  lw.use(laceworkAuth({ ...keyOptions(emu), retry: 0, expiryTime: expiryTime++, eager: true }));
  lw.get('/t', (_req, res) => {
    res.send('ok');
  });
  lw.use(laceworkErrorHandler(handlerOptions));
  return lw;
}

function capture() {
  const lines: string[] = [];
  return { lines, logger: { error: (line: string) => lines.push(line) } };
}

describe('laceworkErrorHandler logs what happened', () => {
  it('one line per failure, by default, unless the app env is "test" (as Express)', async () => {
    const { lines, logger } = capture();
    emu.inject({ route: 'token', status: 401 });
    await request(app({ logger })).get('/t?secret=abc').expect(502);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^lacework-auth: GET \/t -> 502 ERR_LW_KEY_REJECTED: \S/);
    expect(lines[0]).not.toContain('secret=abc');
    const key = emu.keys[0];
    expect(lines[0]).not.toContain(key?.secret);

    emu.inject({ route: 'token', status: 401 });
    await request(app({ logger }, 'test')).get('/t').expect(502);
    expect(lines).toHaveLength(1);
    emu.inject({ route: 'token', status: 401 });
    await request(app({ logger: false }))
      .get('/t')
      .expect(502);
    expect(lines).toHaveLength(1);
  });

  it('logs to console.error when no logger is given', async () => {
    const original = console.error;
    const seen: unknown[] = [];
    console.error = (...args: unknown[]) => seen.push(args.join(' '));
    try {
      emu.inject({ route: 'token', status: 503 });
      await request(app({})).get('/t').expect(502);
    } finally {
      console.error = original;
    }
    expect(seen).toEqual([expect.stringMatching(/^lacework-auth: GET \/t -> 502 ERR_LW_SERVER/)]);
  });

  it('onError gets the error and the request, also in test env; a throwing hook or logger is ignored', async () => {
    const seen: string[] = [];
    emu.inject({ route: 'token', status: 429, headers: { 'Retry-After': '120' } });
    await request(
      app(
        {
          onError: (error, req) => {
            seen.push(`${(error as { code?: string }).code} ${req.path}`);
            throw new Error('hook failed');
          },
          logger: {
            error: () => {
              throw new Error('logger failed');
            },
          },
        },
        'test',
      ),
    )
      .get('/t')
      .expect(503);
    expect(seen).toEqual(['ERR_LW_RATE_LIMITED /t']);
  });
});

describe("laceworkErrorHandler's messages are true for each code", () => {
  it.each([
    [{ route: 'token', status: 401 }, 502, 'Lacework refused the API key this server uses.'],
    [{ route: 'token', status: 503 }, 502, 'Lacework answered with a server error.'],
    [
      { route: 'token', status: 200, body: 'not json' },
      502,
      'Lacework sent an answer the server could not use.',
    ],
    [{ route: 'token', reset: true }, 502, 'The server could not reach Lacework.'],
    [
      { route: 'token', status: 429, headers: { 'Retry-After': '120' } },
      503,
      'Lacework rate limit reached; try again later.',
    ],
  ] as const)('%j -> %i %s', async (fault, status, message) => {
    emu.inject(fault as Parameters<Emulator['inject']>[0]);
    const res = await request(app({ logger: false })).get('/t');
    expect(res.status).toBe(status);
    expect(res.body.error.message).toBe(message);
  });

  it('an API call refused with 404 is "answered with an error", not "no answer"', async () => {
    const provider = createTokenProvider({ ...keyOptions(emu), expiryTime: expiryTime++ });
    const lw = express().use(laceworkAuth({ tokenProvider: provider }));
    lw.get('/missing', async (req, res) => {
      res.json(await requireLacework(req).client.get('NoSuchThing').json());
    });
    lw.use(laceworkErrorHandler({ logger: false }));
    const res = await request(lw).get('/missing').expect(502);
    expect(res.body.error).toEqual({
      code: 'ERR_LW_HTTP',
      message: 'Lacework answered with an error.',
    });
  });

  it('refuses unknown options, suggesting the right name', () => {
    expect(() => laceworkErrorHandler({ Expose: true } as never)).toThrow(
      '`laceworkErrorHandler` got an unknown option `Expose`. Did you mean `expose`?',
    );
    expect(() => laceworkErrorHandler({ logger: {} as never })).toThrow(/`logger` must have/);
    expect(() => laceworkErrorHandler({ rateLimitStatus: 500 as never })).toThrow(
      '`rateLimitStatus` must be 503 or 429, got 500.',
    );
  });
});
