import { CANARY_SECRET, canaryEmulator, expectNoSecrets } from '@lacework-auth/test-kit/vitest';
import { describe, expect, it } from 'vitest';
import { providerFor, rejectionOf } from './support/emulator.js';

describe('a redirect from the token endpoint', () => {
  it.each([
    ['the path', `https://evil.example/${CANARY_SECRET}/login`],
    ['a path segment, upper-cased', `https://evil.example/x/${CANARY_SECRET.toUpperCase()}`],
    ['the fragment', `https://evil.example/login#${CANARY_SECRET}`],
    ['the user info', `https://${CANARY_SECRET.slice(1)}@evil.example/`],
    ['the host name', `https://${CANARY_SECRET}.evil.example/`],
  ])('is reported by origin only, without a secret echoed in %s', async (_where, location) => {
    const emu = await canaryEmulator();
    emu.inject({ route: 'token', status: 307, body: '', headers: { Location: location } });
    const error = await rejectionOf(providerFor(emu).getToken());
    expect(error.code).toBe('ERR_LW_BAD_RESPONSE');
    expect(error.message).toMatch(/redirected \(HTTP 307 to https:\/\/[^ ]*evil\.example\)/);
    expectNoSecrets(error, [CANARY_SECRET, CANARY_SECRET.slice(1, 20), CANARY_SECRET.slice(1, 17)]);
    expect(error.message.toLowerCase()).not.toContain(CANARY_SECRET.slice(13, 29).toLowerCase());
  });
});
