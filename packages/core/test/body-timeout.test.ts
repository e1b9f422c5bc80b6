import { emulator } from '@lacework-auth/test-kit/vitest';
import { describe, expect, it, vi } from 'vitest';
import { createLaceworkClient } from '../src/client/client.js';
import { isLaceworkAuthError } from '../src/protocol/errors.js';
import { providerFor, rejectionOf } from './support/emulator.js';

/** Settles `promise`, or reports "still pending" after `ms`: a hang fails the test quickly. */
function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_, reject) =>
      setTimeout(() => reject(new Error(`still pending after ${ms} ms`)), ms),
    ),
  ]);
}

describe('`timeout` covers the response body, not just the headers', () => {
  it('an exchange whose body stalls fails with ERR_LW_TIMEOUT, for every waiting caller', async () => {
    const emu = await emulator();
    emu.inject({ route: 'token', stallBody: true });
    const provider = providerFor(emu, { timeout: 300 });
    const started = Date.now();
    const results = await within(
      Promise.allSettled(Array.from({ length: 20 }, () => provider.getToken())),
      3000,
    );
    expect(Date.now() - started).toBeLessThan(2000);
    for (const result of results) {
      expect(result.status).toBe('rejected');
      const error = (result as PromiseRejectedResult).reason;
      expect(isLaceworkAuthError(error, 'ERR_LW_TIMEOUT'), String(error)).toBe(true);
      expect(error.message).toMatch(/timed out after 300 ms/);
    }
    expect(emu.requests()).toHaveLength(1);
  });

  it('a client response whose body stalls fails with ERR_LW_TIMEOUT', async () => {
    const emu = await emulator();
    const client = createLaceworkClient({ tokenProvider: providerFor(emu), timeout: 300 });
    await client.get('UserProfile').json();
    emu.inject({ route: 'api', stallBody: true });
    const started = Date.now();
    const error = await within(rejectionOf(client.get('UserProfile').json()), 3000);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(isLaceworkAuthError(error, 'ERR_LW_TIMEOUT'), String(error)).toBe(true);
    expect(error.message).toMatch(/GET .*UserProfile/);
  });

  it('an error response whose body stalls still fails within the timeout', async () => {
    const emu = await emulator();
    const client = createLaceworkClient({
      tokenProvider: providerFor(emu),
      timeout: 300,
      retry: 0,
    });
    await client.get('UserProfile').json();
    emu.inject({ route: 'api', status: 503, stallBody: true });
    const started = Date.now();
    const error = await within(rejectionOf(client.get('UserProfile').json()), 3000);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(isLaceworkAuthError(error)).toBe(true);
  });

  it('a body read in time is untouched by the timer, and the timer does not outlive it', async () => {
    const emu = await emulator();
    // Long, so a loaded machine cannot time the call out.
    const timeout = 5000;
    const client = createLaceworkClient({ tokenProvider: providerFor(emu), timeout });
    await client.get('UserProfile').json();
    const realSetTimeout = globalThis.setTimeout;
    const realClearTimeout = globalThis.clearTimeout;
    const armed: unknown[] = [];
    const cleared = new Set<unknown>();
    const setSpy = vi.spyOn(globalThis, 'setTimeout').mockImplementation(((
      callback: () => void,
      ms?: number,
    ) => {
      const handle = realSetTimeout(callback, ms);
      // Timers armed by the client itself: the attempt's deadline, which covers the body.
      if (/[\\/]client[\\/][\w-]+\.[jt]s:/.test(new Error().stack ?? '')) armed.push(handle);
      return handle;
    }) as typeof setTimeout);
    const clearSpy = vi.spyOn(globalThis, 'clearTimeout').mockImplementation(((
      handle?: Parameters<typeof clearTimeout>[0],
    ) => {
      cleared.add(handle);
      realClearTimeout(handle);
    }) as typeof clearTimeout);
    try {
      const response = await client.get('UserProfile');
      expect(response.url).toBe(`${emu.url}/api/v2/UserProfile`);
      const profile = (await response.json()) as { data: unknown[] };
      expect(Array.isArray(profile.data)).toBe(true);
      expect(response.bodyUsed).toBe(true);
    } finally {
      setSpy.mockRestore();
      clearSpy.mockRestore();
    }
    // Stopped once the body was read: no timer is left to abort the transfer later.
    expect(armed.length).toBeGreaterThanOrEqual(1);
    for (const handle of armed) expect(cleared.has(handle)).toBe(true);
  });

  it('a stalled body read as a stream (response.body) fails with ERR_LW_TIMEOUT too', async () => {
    const emu = await emulator();
    const client = createLaceworkClient({ tokenProvider: providerFor(emu), timeout: 300 });
    await client.get('UserProfile').json();
    emu.inject({ route: 'api', stallBody: true });
    const response = await client.get('UserProfile');
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const drain = async () => {
      for (;;) if ((await reader.read()).done) return;
    };
    const error = await within(rejectionOf(drain()), 3000);
    expect(isLaceworkAuthError(error, 'ERR_LW_TIMEOUT'), String(error)).toBe(true);
  });

  it('every way of reading a body reads all of it: text, json, arrayBuffer, bytes, blob, body', async () => {
    const emu = await emulator();
    const client = createLaceworkClient({ tokenProvider: providerFor(emu) });
    const expected = await client.get('UserProfile').text();
    expect(JSON.parse(expected)).toHaveProperty('data');
    const decode = (bytes: ArrayBuffer | Uint8Array) => new TextDecoder().decode(bytes);
    expect(await (await client.get('UserProfile')).text()).toBe(expected);
    expect(await (await client.get('UserProfile')).json()).toEqual(JSON.parse(expected));
    expect(decode(await (await client.get('UserProfile')).arrayBuffer())).toBe(expected);
    const bytes = await (
      (await client.get('UserProfile')) as unknown as { bytes(): Promise<Uint8Array> }
    ).bytes();
    expect(decode(bytes)).toBe(expected);
    const blob = await (await client.get('UserProfile')).blob();
    expect(blob.type).toMatch(/application\/json/);
    expect(await blob.text()).toBe(expected);
    const streamed = await new Response((await client.get('UserProfile')).body).text();
    expect(streamed).toBe(expected);
    const used = await client.get('UserProfile');
    await used.text();
    expect(used.bodyUsed).toBe(true);
    await expect(used.text()).rejects.toThrow(TypeError);
  });
});
