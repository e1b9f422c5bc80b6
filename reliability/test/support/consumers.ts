import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { inspect } from 'node:util';
import { createLaceworkClient, isLaceworkAuthError } from '@lacework-auth/core';
import type { Emulator } from '@lacework-auth/emulator';
import {
  laceworkAuth,
  laceworkErrorHandler,
  laceworkProxy,
  requireLacework,
} from '@lacework-auth/express';
import express from 'express';
import { transcript } from './canary.js';
import { within } from './deadline.js';
import { listen } from './servers.js';

const require = createRequire(import.meta.url);

/**
 * How long every consumer waits for Lacework per attempt (exchange, API call, proxy upstream,
 * newman request). Generous for a busy 2-core machine; a stalled body takes this long to fail.
 */
export const ATTEMPT_TIMEOUT_MS = 3000;

/** Options a test may override to break recovery on purpose (core provider options). */
export interface ProviderOverrides {
  retry?: number;
  refreshWindow?: number;
}

/** One attempt's outcome: `ok`, or a short code such as `SERVER`, `502 SERVER`, `HTTP 500`. */
export type Outcome = string;

/** A consumer that makes one Lacework call per attempt. */
export interface Attempter {
  attempt(): Promise<Outcome>;
  close(): Promise<void>;
}

const short = (code: string) => code.replace(/^ERR_LW_/, '');

function coreOptions(emu: Emulator, overrides: ProviderOverrides = {}) {
  const key = emu.keys[0];
  if (!key) throw new Error('the emulator has no key');
  return {
    baseUrl: emu.url,
    keyId: key.keyId,
    secret: key.secret,
    env: {},
    timeout: ATTEMPT_TIMEOUT_MS,
    ...overrides,
  };
}

/** The core client: `client.get('UserProfile').json()`; a typed error gives its code. */
export async function coreClient(emu: Emulator, overrides?: ProviderOverrides): Promise<Attempter> {
  const client = createLaceworkClient(coreOptions(emu, overrides));
  return {
    async attempt() {
      try {
        const answer = await within(client.get('UserProfile').json(), HUNG_AFTER_MS);
        return answer === 'hung' ? 'hung' : 'ok';
      } catch (error) {
        transcript.push(inspect(error, { depth: 10 }), JSON.stringify(error) ?? '');
        return isLaceworkAuthError(error) ? short(error.code) : `untyped ${(error as Error).name}`;
      }
    },
    close: async () => {},
  };
}

const TOKEN_CLI = join(dirname(require.resolve('@lacework-auth/core')), 'cli', 'lacework-token.js');

/** Runs `lacework-token` with `env`; resolves with its exit code and output. */
export function runTokenCli(
  args: string[],
  env: Record<string, string>,
  killAfterMs = 120_000,
): Promise<{ code: number | 'hung'; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [TOKEN_CLI, ...args],
      { env: { PATH: process.env.PATH ?? '', ...env }, timeout: killAfterMs },
      (error, stdout, stderr) => {
        const code = !error ? 0 : error.killed ? 'hung' : Number(error.code ?? -1);
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** The CLI has no timeout flag: its exchange gives up after core's default 30 s. */
const CLI_HUNG_AFTER_MS = 45_000;
/** Three attempts, their timeouts and backoffs, with room for a busy machine. */
const HUNG_AFTER_MS = 25_000;

/**
 * `lacework-token --json`, a new process per attempt, with its own cache directory (the file
 * cache is on, as by default). Exit 0 counts only when it printed a token the emulator issued.
 */
export async function tokenCli(emu: Emulator): Promise<Attempter> {
  const key = emu.keys[0];
  if (!key) throw new Error('the emulator has no key');
  const home = await mkdtemp(join(tmpdir(), 'lw-reliability-cli-'));
  const env = {
    HOME: home,
    XDG_CACHE_HOME: join(home, 'cache'),
    LW_API_SERVER_URL: emu.url,
    LW_API_KEY: key.keyId,
    LW_API_SECRET: key.secret,
  };
  return {
    async attempt() {
      const run = await runTokenCli(['--json'], env, CLI_HUNG_AFTER_MS);
      transcript.push(run.stdout, run.stderr);
      if (run.code === 'hung') return 'hung';
      if (run.code === 0) {
        const { token } = JSON.parse(run.stdout) as { token: string };
        return emu.isIssuedToken(token) ? 'ok' : 'unknown token';
      }
      // `[ERR_LW_…]` at the end of the message, or `{"error": {"code"}}` with --json.
      const match = /\[(ERR_LW_[A-Z_]+)\]|"code":"(ERR_LW_[A-Z_]+)"/.exec(run.stderr);
      const code = match?.[1] ?? match?.[2];
      return code ? short(code) : `exit ${run.code}`;
    },
    close: () => rm(home, { recursive: true, force: true }),
  };
}

/** The status and body of a GET through one of our servers; `cut` when the answer broke off. */
async function get(url: string): Promise<Outcome> {
  let response: Response;
  let text: string;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(HUNG_AFTER_MS) });
    text = await response.text();
    transcript.push(text, JSON.stringify([...response.headers]));
  } catch (error) {
    return (error as Error).name === 'TimeoutError' ? 'hung' : 'cut';
  }
  if (response.status === 200) return 'ok';
  try {
    const code = (JSON.parse(text) as { error?: { code?: string } }).error?.code;
    if (code) return `${response.status} ${short(code)}`;
  } catch {}
  // Not one of our JSON errors: Lacework's own answer, passed through.
  return `HTTP ${response.status}`;
}

/** An Express route that calls Lacework through `req.lacework.client`, behind `laceworkAuth()`. */
export async function expressRoute(
  emu: Emulator,
  overrides?: ProviderOverrides,
): Promise<Attempter> {
  const app = express();
  app.use('/api', laceworkAuth(coreOptions(emu, overrides)));
  app.get('/api/me', async (req, res) => {
    res.json(await requireLacework(req).client.get('UserProfile').json());
  });
  app.use(laceworkErrorHandler());
  const server = await listen(app);
  return { attempt: () => get(`${server.url}/api/me`), close: server.close };
}

/** `laceworkProxy()`: `GET /lacework/UserProfile` → Lacework's `GET /api/v2/UserProfile`. */
export async function expressProxy(
  emu: Emulator,
  overrides?: ProviderOverrides,
): Promise<Attempter> {
  const app = express();
  app.use(
    '/lacework',
    // coreOptions' `timeout` bounds the exchange and each forwarded request alike.
    laceworkProxy(coreOptions(emu, overrides)),
  );
  const server = await listen(app);
  return { attempt: () => get(`${server.url}/lacework/UserProfile`), close: server.close };
}
