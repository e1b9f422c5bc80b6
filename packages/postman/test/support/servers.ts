import type { Emulator } from '@lacework-auth/emulator';
import { type OnFinished, scriptedServer, sharedEmulator } from '@lacework-auth/test-kit/vitest';
import { afterAll, beforeEach, onTestFinished } from 'vitest';
import type { RunInput } from './runners.js';

/** The emulator's first key. */
export function firstKey(emu: Emulator): Emulator['keys'][number] {
  const key = emu.keys[0];
  if (!key) throw new Error('emulator has no key');
  return key;
}

/**
 * Run inputs for the emulator's first key: `lw_base_url` and `lw_key_id` (and `extra`) in the
 * environment, `lw_secret` (the key's, or `secret`) in the iteration data.
 */
export function credentials(
  emu: Emulator,
  extra: Record<string, string> = {},
  secret?: string,
): Pick<RunInput, 'envVar' | 'iterationData'> {
  const key = firstKey(emu);
  return {
    envVar: { lw_base_url: emu.url, lw_key_id: key.keyId, ...extra },
    iterationData: { lw_secret: secret ?? key.secret },
  };
}

/** A request the third-party server received; `uaks` only when it carried `X-LW-UAKS`. */
export interface ThirdPartyHit {
  path: string;
  authorization: string | undefined;
  uaks?: string;
}

/**
 * A plain HTTP server on a random loopback port standing for a third-party host, closed when the
 * test finishes. It records the requests it gets and runs `onHit` for each (e.g. to revoke tokens
 * in the middle of a run).
 */
export async function thirdParty(
  onHit: (path: string) => void = () => {},
  onFinished: OnFinished = onTestFinished,
): Promise<{ url: string; hits: ThirdPartyHit[] }> {
  const hits: ThirdPartyHit[] = [];
  const { url } = await scriptedServer((request) => {
    const uaks = request.headers['x-lw-uaks'];
    hits.push({
      path: request.path,
      authorization: request.headers.authorization,
      ...(uaks === undefined ? {} : { uaks: String(uaks) }),
    });
    onHit(request.path);
    return { status: 200, body: { ok: true } };
  }, onFinished);
  return { url, hits };
}

/**
 * The servers a runner test file shares (await it at the file's top level): the emulator, reset
 * before each test, and a third-party server whose hits are forgotten before each test; both are
 * closed after the file. `onHit` runs for each request the third party gets.
 */
export async function sharedServers(onHit?: (path: string, emu: Emulator) => void) {
  const emu = await sharedEmulator();
  const elsewhere = await thirdParty((path) => onHit?.(path, emu), afterAll);
  beforeEach(() => {
    elsewhere.hits.length = 0;
  });
  return { emu, elsewhere, key: () => firstKey(emu) };
}
