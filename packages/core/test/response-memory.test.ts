// What a response the client hands out keeps alive. The attempt's deadline runs on a timer (the
// client's `timeout`, 30 s by default) for the body; a response nobody reads must not wait for that
// timer to be collected: its body stream (and the socket behind a large one) goes with it, as it
// does for fetch's own responses.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { emulator } from '@lacework-auth/test-kit/vitest';
import { expect, it } from 'vitest';
import { createLaceworkClient } from '../src/client/client.js';
import { providerFor } from './support/emulator.js';

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

/** How many of the objects `track` was given are still alive after garbage collections. */
async function survivors(count: () => number): Promise<number> {
  // Finalizers run in tasks after a collection: a few rounds, ending early once all are gone.
  for (let round = 0; round < 20 && count() > 0; round++) {
    collectGarbage();
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return count();
}

it('a handed-out response nobody reads is collected long before its timeout', async () => {
  const emu = await emulator();
  // A timeout far past the test: only the garbage collector can release the responses.
  const client = createLaceworkClient({ tokenProvider: providerFor(emu), timeout: 600_000 });
  let alive = 0;
  const registry = new FinalizationRegistry(() => {
    alive--;
  });
  const calls = 20;
  // In a function of its own: no response stays in this test's scope.
  const send = async () => {
    const response = await client.get('UserProfile');
    expect(response.status).toBe(200);
    registry.register(response, undefined);
    alive++;
  };
  for (let i = 0; i < calls; i++) await send();
  expect(alive).toBe(calls);
  expect(await survivors(() => alive)).toBe(0);
});
