import { isLaceworkAuthError } from '@lacework-auth/core';
import { describe, expect, it } from 'vitest';
import { addLaceworkAuth } from '../src/inject.js';
import { generatePreRequestScript, SCRIPT_BEGIN_MARKER, SCRIPT_END_MARKER } from '../src/script.js';
import { teamCollection } from './support/fixtures.js';

// biome-ignore lint/suspicious/noExplicitAny: the tests walk arbitrary collection JSON.
type Json = Record<string, any>;

const OUR_LINES = generatePreRequestScript().replace(/\n$/, '').split('\n');

function event(collection: Json, listen: string): Json {
  return collection.event.find((e: Json) => e.listen === listen);
}

describe('addLaceworkAuth', () => {
  it('puts the Lacework script first, as events of its own, and leaves the collection’s own events as they are', () => {
    const input = teamCollection();
    const result: Json = addLaceworkAuth(input);

    expect(result.event.map((e: Json) => e.listen)).toEqual([
      'prerequest',
      'test',
      'prerequest',
      'test',
    ]);
    expect(result.event[0].script.exec).toEqual(OUR_LINES);
    expect(result.event[1].script.exec).toEqual(OUR_LINES);
    expect(result.event.slice(2)).toEqual(input.event);
  });

  it('takes the managed block out of a collection script it was merged into (older versions)', () => {
    const input = teamCollection();
    const merged: Json = structuredClone(input);
    for (const event of merged.event) event.script.exec = [...OUR_LINES, ...event.script.exec];
    const result: Json = addLaceworkAuth(merged);

    expect(result).toEqual(addLaceworkAuth(input));
    expect(result.event.slice(2)).toEqual(input.event);
  });

  it('keeps folder and request scripts, request auth overrides and the request tree untouched', () => {
    const input = teamCollection();
    const result: Json = addLaceworkAuth(input);

    expect(result.item).toEqual(input.item);
    expect(result.item[0].item[1].request.auth.type).toBe('apikey');
  });

  it('adds bearer {{lw_request_token}} auth at collection level and only the missing lw_* variables', () => {
    const result: Json = addLaceworkAuth(teamCollection());

    expect(result.auth).toEqual({
      type: 'bearer',
      bearer: [{ key: 'token', value: '{{lw_request_token}}', type: 'string' }],
    });
    const variables = Object.fromEntries(result.variable.map((v: Json) => [v.key, v.value]));
    expect(variables).toEqual({
      team_var: 'from-collection',
      lw_expiry_time: '600', // the collection's own value wins
      lw_base_url: '',
      lw_key_id: '',
      lw_secret: '',
      lw_sub_account: '',
      lw_token: '',
      lw_token_expires_at: '',
    });
    expect(result.variable.find((v: Json) => v.key === 'lw_secret').secret).toBe(true);
  });

  it('is idempotent: injecting twice gives the same JSON', () => {
    const once = addLaceworkAuth(teamCollection());
    const twice = addLaceworkAuth(once);

    expect(twice).toEqual(once);
    expect(JSON.stringify(twice)).toBe(JSON.stringify(once));
  });

  it('replaces an older managed block instead of stacking a second one', () => {
    const once: Json = addLaceworkAuth(teamCollection());
    const changed: Json = addLaceworkAuth(once, { store: 'environment' });
    const lines: string[] = changed.event.flatMap((e: Json) => e.script.exec);

    expect(lines.filter((line) => line.startsWith(SCRIPT_BEGIN_MARKER))).toHaveLength(2);
    expect(lines.filter((line) => line === SCRIPT_END_MARKER)).toHaveLength(2);
    expect(event(changed, 'prerequest').script.exec).toContain(
      'var LACEWORK_AUTH_CONFIG = {"store":"environment"};',
    );
    expect(changed.event.slice(2)).toEqual(teamCollection().event);
  });

  it('does not change its input', () => {
    const input = teamCollection();
    const copy = structuredClone(input);
    addLaceworkAuth(input);

    expect(input).toEqual(copy);
  });

  it('keeps a v2.0 collection v2.0 (bearer auth as an object)', () => {
    const result: Json = addLaceworkAuth(teamCollection('2.0'));

    expect(result.info.schema).toContain('/v2.0.0/');
    expect(result.auth).toEqual({ type: 'bearer', bearer: { token: '{{lw_request_token}}' } });
    expect(addLaceworkAuth(result)).toEqual(result);
  });

  it('accepts a JSON string and a collection without scripts, auth or variables', () => {
    const bare = {
      info: {
        name: 'bare',
        schema: 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json',
      },
      item: [],
    };
    const result: Json = addLaceworkAuth(JSON.stringify(bare));

    expect(result.event.map((e: Json) => e.listen)).toEqual(['prerequest', 'test']);
    expect(event(result, 'prerequest').script.exec).toEqual(OUR_LINES);
    expect(result.auth.type).toBe('bearer');
  });

  it('refuses to replace collection-level auth of another type unless told to', () => {
    const input = { ...teamCollection(), auth: { type: 'basic', basic: [] } };

    let error: unknown;
    try {
      addLaceworkAuth(input);
    } catch (caught) {
      error = caught;
    }
    expect(isLaceworkAuthError(error)).toBe(true);
    expect((error as { code: string }).code).toBe('ERR_LW_INVALID_OPTION');
    expect((error as Error).message).toContain(
      'the collection already has collection-level auth of type `basic`. Pass `replaceAuth: true`',
    );
    expect((addLaceworkAuth(input, { replaceAuth: true }) as Json).auth.type).toBe('bearer');
  });

  it('moves a collection injected by an earlier version from {{lw_token}} to {{lw_request_token}}', () => {
    const earlier = {
      ...teamCollection(),
      auth: { type: 'bearer', bearer: [{ key: 'token', value: '{{lw_token}}', type: 'string' }] },
    };
    const result: Json = addLaceworkAuth(earlier);
    expect(result.auth).toEqual({
      type: 'bearer',
      bearer: [{ key: 'token', value: '{{lw_request_token}}', type: 'string' }],
    });
  });

  it('treats collection-level "noauth" as no auth', () => {
    const result: Json = addLaceworkAuth({ ...teamCollection(), auth: { type: 'noauth' } });
    expect(result.auth.type).toBe('bearer');
  });

  it('rejects what is not a v2.0/v2.1 collection, with a hint for v1', () => {
    expect(() => addLaceworkAuth({ name: 'old', requests: [], order: [] })).toThrow(
      'This looks like a Collection Format v1 file',
    );
    expect(() => addLaceworkAuth('{not json')).toThrow('the collection is not valid JSON');
    expect(() => addLaceworkAuth([] as unknown as object)).toThrow('must be a JSON object');
  });

  it('refuses a managed block whose end marker was deleted', () => {
    const once: Json = addLaceworkAuth(teamCollection());
    event(once, 'prerequest').script.exec = event(once, 'prerequest').script.exec.filter(
      (line: string) => line !== SCRIPT_END_MARKER,
    );
    expect(() => addLaceworkAuth(once)).toThrow('but not its end marker');
  });
});
