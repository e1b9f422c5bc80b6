import type { ClientRequest, IncomingMessage, ServerResponse } from 'node:http';
import { InvalidOptionError } from '@lacework-auth/core';
import type { Request } from 'express';

/**
 * Hooks into the proxy, named and called like http-proxy-middleware's `on` (v3). Each runs
 * synchronously; one that throws is reported through `logger`/`onError` and otherwise ignored.
 */
export interface LaceworkProxyHooks {
  /**
   * The request to Lacework, after the proxy set its headers and before its body is sent: read
   * or set headers (`proxyReq.setHeader`). It carries `Authorization: Bearer <token>`: never log
   * its headers. A header the proxy refuses to forward from clients can still be set here.
   */
  proxyReq?: (proxyReq: ClientRequest, req: Request, res: ServerResponse) => void;
  /**
   * Lacework's answer, before the proxy relays it (filtered headers, token masked, a 429 turned
   * into the rate-limit answer): read its status and headers; do not consume its body.
   */
  proxyRes?: (proxyRes: IncomingMessage, req: Request, res: ServerResponse) => void;
  /**
   * A failure the proxy is about to answer with a 5xx (token exchange failed, Lacework unreachable
   * or slow). Answer `res` yourself to replace the proxy's JSON answer; otherwise it answers.
   */
  error?: (error: Error, req: Request, res: ServerResponse) => void;
}

const HOOKS = ['proxyReq', 'proxyRes', 'error'] as const;

/** Checks the `on` option. @throws {InvalidOptionError} naming the hook. */
export function proxyHooks(value: unknown): LaceworkProxyHooks {
  if (value === undefined) return {};
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new InvalidOptionError(
      '`on` must be an object of hooks: { proxyReq, proxyRes, error }.',
      {
        option: 'on',
      },
    );
  }
  const hooks = value as Record<string, unknown>;
  for (const [name, hook] of Object.entries(hooks)) {
    if (!(HOOKS as readonly string[]).includes(name)) {
      const close = HOOKS.find((known) => known.toLowerCase() === name.toLowerCase());
      const shown = /^[A-Za-z]{1,40}$/.test(name) ? `\`on.${name}\`` : 'a hook (not shown)';
      throw new InvalidOptionError(
        `${shown} is not a proxy hook.${close ? ` Did you mean \`on.${close}\`?` : ' Known hooks: proxyReq, proxyRes, error.'}`,
        { option: 'on' },
      );
    }
    if (hook !== undefined && typeof hook !== 'function') {
      throw new InvalidOptionError(`\`on.${name}\` must be a function.`, { option: 'on' });
    }
  }
  return hooks as LaceworkProxyHooks;
}
