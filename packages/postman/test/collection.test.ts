import pc from 'postman-collection';
import { describe, expect, it } from 'vitest';
import { createCollection, STARTER_FOLDER_NAMES } from '../src/collection.js';
import { generatePreRequestScript } from '../src/script.js';

// biome-ignore lint/suspicious/noExplicitAny: the tests walk collection JSON.
type Json = Record<string, any>;

function json(options?: Parameters<typeof createCollection>[0]): Json {
  return createCollection(options).toJSON();
}

describe('createCollection', () => {
  it('is Collection Format v2.1 that round-trips through the postman-collection SDK unchanged', () => {
    const generated = json();
    expect(generated.info.schema).toBe(
      'https://schema.getpostman.com/json/collection/v2.1.0/collection.json',
    );
    const again = new pc.Collection(generated).toJSON();
    expect(again).toEqual(generated);
    expect(JSON.stringify(again)).toBe(JSON.stringify(generated));
  });

  it('is deterministic: the same options give byte-identical JSON', () => {
    expect(JSON.stringify(json())).toBe(JSON.stringify(json()));
    expect(json({ name: 'Other' }).info._postman_id).not.toBe(json().info._postman_id);
  });

  it('has bearer {{lw_request_token}} auth and the auth script as collection pre-request and test script', () => {
    const generated = json();
    expect(generated.auth).toEqual({
      type: 'bearer',
      bearer: [{ type: 'string', value: '{{lw_request_token}}', key: 'token' }],
    });
    const script = generatePreRequestScript().replace(/\n$/, '').split('\n');
    expect(generated.event.map((e: Json) => [e.listen, e.script.exec])).toEqual([
      ['prerequest', script],
      ['test', script],
    ]);
  });

  it('declares the variables empty (no real values), with the secret marked secret', () => {
    const variables: Json[] = json().variable;
    expect(variables.map((v) => [v.key, v.value])).toEqual([
      ['lw_base_url', ''],
      ['lw_key_id', ''],
      ['lw_secret', ''],
      ['lw_sub_account', ''],
      ['lw_expiry_time', '3600'],
      ['lw_token', ''],
      ['lw_token_expires_at', ''],
    ]);
    expect(variables.filter((v) => v.secret === true).map((v) => v.key)).toEqual(['lw_secret']);
  });

  it('has starter folders with real v2 paths under {{lw_base_url}}', () => {
    const generated = json();
    expect(generated.item.map((f: Json) => f.name)).toEqual(STARTER_FOLDER_NAMES);
    const requests = generated.item.flatMap((f: Json) =>
      f.item.map(
        (i: Json) =>
          `${i.request.method} ${i.request.url.host.join('')}/${i.request.url.path.join('/')}`,
      ),
    );
    expect(requests).toContain('GET {{lw_base_url}}/api/v2/UserProfile');
    expect(requests).toContain('GET {{lw_base_url}}/api/v2/CloudAccounts');
    expect(requests).toContain('POST {{lw_base_url}}/api/v2/Alerts/search');
    expect(
      requests.every((r: string) => /^(GET|POST) \{\{lw_base_url\}\}\/api\/v2\/[A-Z]/.test(r)),
    ).toBe(true);
  });

  it('renames variables everywhere when asked', () => {
    const generated = json({
      variables: { baseUrl: 'acme_url', token: 'acme_token', requestToken: 'acme_request_token' },
    });
    expect(generated.auth.bearer[0].value).toBe('{{acme_request_token}}');
    expect(generated.item[0].item[0].request.url.host).toEqual(['{{acme_url}}']);
    expect(generated.variable.map((v: Json) => v.key)).toContain('acme_url');
  });

  it('can include only some folders, and validates its options', () => {
    expect(json({ folders: ['Alerts'] }).item.map((f: Json) => f.name)).toEqual(['Alerts']);
    expect(() => createCollection({ folders: ['Nope'] })).toThrow(
      '`folders` contains "Nope"; the folders are',
    );
    expect(() => createCollection({ name: ' ' })).toThrow('`name` must be a non-empty string');
  });
});
