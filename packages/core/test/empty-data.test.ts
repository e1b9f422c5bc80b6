import { emulator } from '@lacework-auth/test-kit/vitest';
import { describe, expect, it } from 'vitest';
import { createLaceworkClient } from '../src/client/client.js';
import { isLaceworkAuthError } from '../src/protocol/errors.js';
import { providerFor, thrownBy } from './support/emulator.js';

const noMatch = { filters: [{ field: 'severity', expression: 'eq', value: 'None' }] };

describe('empty searches (204)', () => {
  it('reach .json() as {"data": []} by default, so .data never throws', async () => {
    const emu = await emulator();
    const client = createLaceworkClient({ tokenProvider: providerFor(emu) });
    const res = await client.post('Alerts/search', { json: noMatch });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ data: [] });
    const { data } = await client.post('Alerts/search', { json: noMatch }).json<{ data: [] }>();
    expect(data).toEqual([]);
    // The emulator did answer 204 with no body.
    expect(
      emu
        .requests()
        .filter((r) => r.route === 'api')
        .map((r) => r.status),
    ).toEqual([204, 204]);
  });

  it('leave a search with results alone', async () => {
    const emu = await emulator();
    const client = createLaceworkClient({ tokenProvider: providerFor(emu) });
    const { data } = await client
      .post('Alerts/search', { json: {} })
      .json<{ data: unknown[]; paging: unknown }>();
    expect(data).toHaveLength(5);
  });

  it("with emptyData: false, stay 204 and .json() gives '' (ky's own behaviour)", async () => {
    const emu = await emulator();
    const client = createLaceworkClient({ tokenProvider: providerFor(emu), emptyData: false });
    const res = await client.post('Alerts/search', { json: noMatch });
    expect(res.status).toBe(204);
    expect(await client.post('Alerts/search', { json: noMatch }).json()).toBe('');
  });

  it('turn a GET 204 into {"data": []} but leave a 204 to another POST alone', async () => {
    const emu = await emulator();
    emu.inject({ route: '/api/v2/Echo', status: 204, times: 2 });
    const client = createLaceworkClient({ tokenProvider: providerFor(emu) });
    expect(await client.get('Echo/list').json()).toEqual({ data: [] });
    const post = await client.post('Echo/things', { json: { a: 1 } });
    expect(post.status).toBe(204);
    expect(await post.text()).toBe('');
  });

  it('refuse a non-boolean emptyData', () => {
    const error = thrownBy(() =>
      createLaceworkClient({
        baseUrl: 'http://127.0.0.1:1',
        keyId: 'K',
        secret: 'S',
        emptyData: 'yes' as never,
      }),
    );
    expect(isLaceworkAuthError(error, 'ERR_LW_INVALID_OPTION')).toBe(true);
    expect(error.message).toMatch(/`emptyData` must be a boolean/);
  });
});
