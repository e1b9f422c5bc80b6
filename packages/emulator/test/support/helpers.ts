import { afterEach } from 'vitest';
import { TOKEN_PATH } from '../../src/dispatch.js';
import type { EmulatorOptions } from '../../src/options.js';
import type { Emulator } from '../../src/server.js';
import { startEmulator } from '../../src/server.js';

/** A secret whose appearance anywhere in output means a leak. */
export const CANARY_SECRET = '_canary0123456789abcdef0123456789abcdef';
export const CANARY_KEY_ID = 'CANARY_0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF';

const started: Emulator[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((e) => e.close()));
});

/** Starts an emulator on a random port, closed after the test. */
export async function emulator(options?: EmulatorOptions): Promise<Emulator> {
  const emu = await startEmulator(options);
  started.push(emu);
  return emu;
}

/** POSTs to the token endpoint with the key's secret; `body`/`headers` override the defaults. */
export function exchange(
  emu: Emulator,
  opts: {
    keyId?: string;
    secret?: string | undefined;
    expiryTime?: number;
    headers?: Record<string, string>;
    body?: string;
    signal?: AbortSignal;
  } = {},
): Promise<Response> {
  const key = emu.keys[0];
  if (!key) throw new Error('no key');
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  const secret = 'secret' in opts ? opts.secret : key.secret;
  if (secret !== undefined) headers['X-LW-UAKS'] = secret;
  const body =
    opts.body ??
    JSON.stringify({
      keyId: opts.keyId ?? key.keyId,
      ...(opts.expiryTime === undefined ? {} : { expiryTime: opts.expiryTime }),
    });
  return fetch(`${emu.url}${TOKEN_PATH}`, {
    method: 'POST',
    headers: { ...headers, ...opts.headers },
    body,
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
}

/** Exchanges the first key for a token. */
export async function token(
  emu: Emulator,
  expiryTime?: number,
  headers?: Record<string, string>,
): Promise<string> {
  const res = await exchange(emu, {
    ...(expiryTime === undefined ? {} : { expiryTime }),
    ...(headers ? { headers } : {}),
  });
  if (res.status !== 201) throw new Error(`exchange failed: ${res.status}`);
  return ((await res.json()) as { token: string }).token;
}

/** Calls an API path with a token. */
export function api(
  emu: Emulator,
  path: string,
  tok: string | undefined,
  init: RequestInit & { headers?: Record<string, string> } = {},
): Promise<Response> {
  const headers: Record<string, string> = { ...init.headers };
  if (tok !== undefined) headers.Authorization = `Bearer ${tok}`;
  return fetch(`${emu.url}${path}`, { ...init, headers });
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
