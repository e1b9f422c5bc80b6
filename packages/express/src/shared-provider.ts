import { createHmac, randomBytes } from 'node:crypto';
import {
  createLaceworkClient,
  createTokenProvider,
  PERMISSION_COOLDOWN_MS,
  type TokenProvider,
  type TokenProviderOptions,
  tokenRefusalsFor,
} from '@lacework-auth/core';
import { toGatewayError } from './gateway-error.js';

/** The ky instance `createLaceworkClient` returns (prefix `${baseUrl}/api/v2/`). */
export type LaceworkClient = ReturnType<typeof createLaceworkClient>;

/** One token provider (and its client) shared by every middleware built with the same options. */
export interface SharedLacework {
  provider: TokenProvider;
  /** `provider` with failures turned into gateway errors (502/503/504) for Express. */
  gateway: TokenProvider;
  /** Created on first use, so servers that only proxy never build one. */
  readonly client: LaceworkClient;
  /**
   * After Lacework refused `staleToken` (401/403) on `route` (`METHOD /api/v2/...`): a different
   * token to retry with, or `undefined` when a new token cannot help (see
   * {@link noteRefusedAfterRefresh}). Concurrent callers that saw the same stale token share one
   * forced exchange; a caller whose token was already replaced gets the new one without another
   * exchange. The rule is core's `tokenRefusalsFor`, the one `createLaceworkClient` uses, plus
   * one across routes: a token this handed out less than core's `PERMISSION_COOLDOWN_MS` ago is
   * not replaced again on any route (the route is noted as refused instead). It is as fresh as a
   * token gets, so its refusal is about permissions; without this, a client could make up new
   * forbidden routes (`CloudAccounts/1`, `CloudAccounts/2`, …) and spend one exchange on each.
   */
  replaceRejectedToken(staleToken: string, route: string): Promise<string | undefined>;
  /**
   * The retry on `route` with a token fresh from {@link replaceRejectedToken} was refused too:
   * Lacework is refusing the request (permissions), not the token. For
   * core's `PERMISSION_COOLDOWN_MS`, refusals on that route do not force another exchange, so a
   * dashboard polling a forbidden route cannot burn the key's rate limit (token endpoint
   * included) one exchange per request.
   */
  noteRefusedAfterRefresh(route: string): void;
}

// A per-process random key: map keys are HMACs of the options, so the secret is never a map key
// and the digest cannot be brute-forced offline from a heap dump.
const digestKey = randomBytes(32);
const objectIds = new WeakMap<object, number>();
let nextObjectId = 1;
const shared = new Map<string, SharedLacework>();
const byProvider = new WeakMap<TokenProvider, SharedLacework>();

function objectId(value: object): number {
  let id = objectIds.get(value);
  if (id === undefined) {
    id = nextObjectId++;
    objectIds.set(value, id);
  }
  return id;
}

/** A stable text for option values: plain data by content, functions and instances by identity. */
function canonical(value: unknown, depth = 0): string {
  if (value === undefined) return 'u';
  if (typeof value === 'function') return `f${objectId(value)}`;
  if (typeof value === 'bigint' || typeof value === 'symbol')
    return `${typeof value}:${String(value)}`;
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  const proto = Object.getPrototypeOf(value);
  if (depth < 4 && Array.isArray(value)) {
    return `[${value.map((item) => canonical(item, depth + 1)).join(',')}]`;
  }
  if (depth < 4 && (proto === Object.prototype || proto === null)) {
    const entries = Object.keys(value)
      .sort()
      .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
      .map(
        (key) =>
          `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key], depth + 1)}`,
      );
    return `{${entries.join(',')}}`;
  }
  return `o${objectId(value)}`;
}

/**
 * The same provider, but token failures come out as {@link LaceworkGatewayError}s (status
 * 502/503/504), so an API call in a route that fails for want of a token reaches Express's error
 * handler with a status meant for the client.
 */
export function gatewayProvider(provider: TokenProvider): TokenProvider {
  return {
    getToken: (options) =>
      provider.getToken(options).catch((error: unknown) => {
        throw toGatewayError(error);
      }),
    invalidate: () => provider.invalidate(),
    get baseUrl() {
      return provider.baseUrl;
    },
    get subAccount() {
      return provider.subAccount;
    },
    get orgAccess() {
      return provider.orgAccess;
    },
    // The key's rate budget: the client built on this wrapper draws on it too.
    get budget() {
      return provider.budget;
    },
  };
}

/** The options `createLaceworkClient` takes beside a provider: API calls honour them too. */
type ClientSettings = Pick<TokenProviderOptions, 'timeout' | 'retry' | 'fetch'>;

function share(provider: TokenProvider, settings: ClientSettings = {}): SharedLacework {
  const gateway = gatewayProvider(provider);
  const refusals = tokenRefusalsFor(provider);
  // The last token handed out after a refusal, and when.
  let replaced: { token: string; at: number } | undefined;
  let client: LaceworkClient | undefined;
  return {
    provider,
    gateway,
    get client() {
      client ??= createLaceworkClient({ tokenProvider: gateway, ...settings });
      return client;
    },
    async replaceRejectedToken(staleToken, route) {
      if (replaced?.token === staleToken && Date.now() - replaced.at < PERMISSION_COOLDOWN_MS) {
        refusals.refusedAfterReplace(route, staleToken);
        return undefined;
      }
      const fresh = await refusals.replace(staleToken, route);
      if (fresh !== undefined && fresh !== staleToken && replaced?.token !== fresh) {
        replaced = { token: fresh, at: Date.now() };
      }
      return fresh;
    },
    noteRefusedAfterRefresh: (route) => refusals.refusedAfterReplace(route),
  };
}

/**
 * The shared provider for these core options, created (and validated by core) on first use.
 * Identical options, including the same secret, give the same provider in this process;
 * the registry is keyed by an HMAC of the options, never by the secret itself.
 *
 * @throws {InvalidOptionError} from core when the options are invalid.
 */
export function sharedLacework(options: TokenProviderOptions): SharedLacework {
  const key = createHmac('sha256', digestKey).update(canonical(options)).digest('base64url');
  let entry = shared.get(key);
  if (entry === undefined) {
    const { timeout, retry, fetch } = options;
    entry = share(createTokenProvider(options), {
      ...(timeout !== undefined ? { timeout } : {}),
      ...(retry !== undefined ? { retry } : {}),
      ...(fetch !== undefined ? { fetch } : {}),
    });
    shared.set(key, entry);
  }
  return entry;
}

/** The shared wrapper for a provider the user built; keyed by the provider object itself. */
export function sharedLaceworkFor(provider: TokenProvider): SharedLacework {
  let entry = byProvider.get(provider);
  if (entry === undefined) {
    entry = share(provider);
    byProvider.set(provider, entry);
  }
  return entry;
}

/** The registry's keys, for tests that check the secret is not one of them. @internal */
export function sharedRegistryKeys(): string[] {
  return [...shared.keys()];
}
