// Core's own test helpers (they know core). The shared ones (emulator, canary secrets, leak
// checks, temp dirs) are imported from @lacework-auth/test-kit/vitest directly.
import type { Emulator } from '@lacework-auth/emulator';
import {
  keyOptions,
  rejectionOf as rejected,
  thrownBy as thrown,
} from '@lacework-auth/test-kit/vitest';
import type { LaceworkAuthError } from '../../src/protocol/errors.js';
import {
  createTokenProvider,
  type TokenProviderOptions,
} from '../../src/provider/token-provider.js';

/** The rejection of `promise`, as core's errors (fails the test when it resolves). */
export const rejectionOf = (promise: Promise<unknown>) => rejected<LaceworkAuthError>(promise);

/** The error `fn` throws, as core's errors. */
export const thrownBy = (fn: () => unknown) => thrown<LaceworkAuthError>(fn);

/** A token provider for the emulator's first key, ignoring the environment. */
export function providerFor(emu: Emulator, options: TokenProviderOptions = {}) {
  return createTokenProvider({ ...keyOptions(emu), env: {}, retry: 0, ...options });
}

/** Requests the emulator saw on a route. */
export function routeRequests(emu: Emulator, route: 'token' | 'api' | 'echo' | 'other') {
  return emu.requests().filter((entry) => entry.route === route);
}
