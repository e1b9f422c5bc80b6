// Core's test helpers: the shared ones come from @lacework-auth/test-kit; these know core.
import type { Emulator } from '@lacework-auth/emulator';
import { rejectionOf as rejected, thrownBy as thrown } from '@lacework-auth/test-kit/vitest';
import type { LaceworkAuthError } from '../../src/protocol/errors.js';
import {
  createTokenProvider,
  type TokenProviderOptions,
} from '../../src/provider/token-provider.js';

export {
  CANARY_KEY_ID,
  CANARY_SECRET,
  canaryEmulator,
  emulator,
  expectNoSecrets,
  type OnFinished,
  renderings,
  tempDir,
} from '@lacework-auth/test-kit/vitest';

/** The rejection of `promise`, as core's errors (fails the test when it resolves). */
export const rejectionOf = (promise: Promise<unknown>) => rejected<LaceworkAuthError>(promise);

/** The error `fn` throws, as core's errors. */
export const thrownBy = (fn: () => unknown) => thrown<LaceworkAuthError>(fn);

/** A token provider for the emulator's first key, ignoring the environment. */
export function providerFor(emu: Emulator, options: TokenProviderOptions = {}) {
  const key = emu.keys[0];
  if (!key) throw new Error('emulator has no key');
  return createTokenProvider({
    baseUrl: emu.url,
    keyId: key.keyId,
    secret: key.secret,
    env: {},
    retry: 0,
    ...options,
  });
}

/** Requests the emulator saw on a route. */
export function routeRequests(emu: Emulator, route: 'token' | 'api' | 'echo' | 'other') {
  return emu.requests().filter((entry) => entry.route === route);
}
