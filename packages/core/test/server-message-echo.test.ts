import type { Fault } from '@lacework-auth/emulator';
import {
  CANARY_KEY_ID,
  CANARY_SECRET,
  canaryEmulator,
  expectNoSecrets,
  renderings,
} from '@lacework-auth/test-kit/vitest';
import { describe, expect, it } from 'vitest';
import { createLaceworkClient } from '../src/client/client.js';
import { redactText } from '../src/protocol/redact.js';
import { providerFor, rejectionOf } from './support/emulator.js';

const WITHHELD = '[server message withheld: it echoed part of the secret or token]';

// No 8-character piece of `value` in any rendering, in any case (pieces it shares with the key ID,
// which messages name, excepted).
function expectNoPieces(error: unknown, value: string): void {
  const text = renderings(error).toLowerCase();
  for (let i = 0; i + 8 <= value.length; i++) {
    const piece = value.slice(i, i + 8).toLowerCase();
    if (!CANARY_KEY_ID.toLowerCase().includes(piece)) expect(text).not.toContain(piece);
  }
}

describe('a server message that echoes the secret', () => {
  const padding = 'x'.repeat(285);
  it.each<[string, string]>([
    [
      'at position 285 of a long message (cut by the 300-character limit)',
      `${padding}${CANARY_SECRET}`,
    ],
    ['upper-cased', `invalid secret ${CANARY_SECRET.toUpperCase()}`],
    ['by its first 12 characters only', `invalid secret ${CANARY_SECRET.slice(0, 12)}...`],
    ['by a piece from its middle', `bad key ${CANARY_SECRET.slice(14, 30)}`],
  ])('%s is withheld', async (_name, message) => {
    const emu = await canaryEmulator();
    emu.inject({ route: 'token', status: 401, body: { message } });
    const error = await rejectionOf(providerFor(emu).getToken());
    expect(error.code).toBe('ERR_LW_KEY_REJECTED');
    expect(error.message).toContain(WITHHELD);
    expectNoSecrets(error, [CANARY_SECRET]);
    expectNoPieces(error, CANARY_SECRET);
  });

  it('a long message without the secret is still shown, shortened to 300 characters', async () => {
    const emu = await canaryEmulator();
    emu.inject({ route: 'token', status: 500, body: { message: 'y'.repeat(400) }, times: 3 });
    const error = await rejectionOf(providerFor(emu).getToken());
    expect(error.code).toBe('ERR_LW_SERVER');
    expect(error.message).toContain(`"${'y'.repeat(300)}…"`);
  });
});

describe('an API error message that echoes the bearer token', () => {
  it.each<[string, (token: string) => string]>([
    ['at position 285', (token) => `${'z'.repeat(285)}${token}`],
    ['lower-cased', (token) => `token ${token.toLowerCase()} is unknown`],
    ['by its first 16 characters', (token) => `token ${token.slice(0, 16)}… is unknown`],
  ])('%s is withheld', async (_name, echo) => {
    const emu = await canaryEmulator();
    const provider = providerFor(emu);
    const client = createLaceworkClient({ tokenProvider: provider, retry: 0 });
    const { token } = await provider.getToken();
    const fault: Fault = { route: 'api', status: 404, body: { message: echo(token) } };
    emu.inject(fault);
    const error = await rejectionOf(client.get('UserProfile'));
    expect(error.code).toBe('ERR_LW_HTTP');
    expect(error.message).toContain(WITHHELD);
    expectNoPieces(error, token);
  });
});

describe('redactText', () => {
  it('redacts exact, re-cased and partial echoes of 8+ characters, and nothing else', () => {
    const secret = '_0123456789abcdef0123456789abcdef';
    expect(redactText(`a ${secret} b`, [secret])).toBe('a [REDACTED] b');
    expect(redactText(`a ${secret.toUpperCase()} b`, [secret])).toBe('a [REDACTED] b');
    expect(redactText(`cut ${secret.slice(0, 10)}`, [secret])).toBe('cut [REDACTED]');
    expect(redactText('short 0123456 ok', [secret])).toBe('short 0123456 ok');
    expect(redactText('nothing here', [secret, undefined])).toBe('nothing here');
    expect(redactText('key abcd here', ['abcd'])).toBe('key [REDACTED] here');
  });
});
