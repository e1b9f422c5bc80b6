import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TokenProvider } from '@lacework-auth/core';
import { listen } from './servers.js';

/** A recognisable token for stub upstreams (not an emulator token). */
export const STUB_TOKEN = 'stub-token-6f1d2c9a8b7e4d3c2b1a0f9e8d7c6b5a';

/**
 * A plain HTTP server standing in for Lacework where the emulator cannot (streaming timing,
 * echoing credentials back), with a provider that hands out {@link STUB_TOKEN} for it.
 */
export async function stubUpstream(handler: (req: IncomingMessage, res: ServerResponse) => void) {
  const seen: { method: string; url: string; authorization: string | undefined }[] = [];
  const server = await listen((req, res) => {
    seen.push({
      method: req.method ?? '',
      url: req.url ?? '',
      authorization: req.headers.authorization,
    });
    handler(req, res);
  });
  let exchanges = 0;
  const provider: TokenProvider = {
    async getToken() {
      exchanges++;
      return { token: STUB_TOKEN, expiresAt: new Date(Date.now() + 3_600_000) };
    },
    async invalidate() {},
    baseUrl: server.url,
  };
  return { ...server, seen, provider, exchanges: () => exchanges };
}
