import { describe, expect, it } from 'vitest';
import './support/temp-dir.js';
import { flavours, newStack, synthJson } from './support/flavours.js';

describe.each(flavours)('LaceworkKeyVariables ($name)', (flavour) => {
  const { LaceworkKeyVariables } = flavour.pkg;

  it('declares lacework_key_id and a sensitive lacework_secret, both required and non-empty', () => {
    const stack = newStack(flavour);
    const key = new LaceworkKeyVariables(stack, 'key');
    expect(key.config()).toEqual({
      mode: 'http-data-source',
      keyId: key.keyId,
      secret: key.secret,
    });
    expect(key.account).toBeUndefined();
    expect(key.variables.secret).toBeInstanceOf(flavour.lib.TerraformVariable);

    const json = synthJson(flavour, stack);
    expect(Object.keys(json.variable)).toEqual(['lacework_key_id', 'lacework_secret']);
    expect(json.variable.lacework_secret).toEqual({
      type: 'string',
      nullable: false,
      sensitive: true,
      description: expect.stringContaining('TF_VAR_lacework_secret'),
      validation: [
        {
          condition: '${length(trimspace(var.lacework_secret)) > 0}',
          error_message: 'The Lacework API key secret is empty: set TF_VAR_lacework_secret.',
        },
      ],
    });
    expect(json.variable.lacework_key_id.sensitive).toBeUndefined();
    expect(json.variable.lacework_key_id.default).toBeUndefined();
    expect(json.variable.lacework_secret.default).toBeUndefined();
  });

  it('optionally declares the account or base URL, with a custom prefix', () => {
    const stack = newStack(flavour);
    const prod = new LaceworkKeyVariables(stack, 'prod', { prefix: 'lw_prod', account: true });
    const dev = new LaceworkKeyVariables(stack, 'dev', { prefix: 'lw_dev', baseUrl: true });
    expect(Object.keys(prod.config()).sort()).toEqual(['account', 'keyId', 'mode', 'secret']);
    expect(Object.keys(dev.config()).sort()).toEqual(['baseUrl', 'keyId', 'mode', 'secret']);

    const json = synthJson(flavour, stack);
    expect(Object.keys(json.variable).sort()).toEqual([
      'lw_dev_base_url',
      'lw_dev_key_id',
      'lw_dev_secret',
      'lw_prod_account',
      'lw_prod_key_id',
      'lw_prod_secret',
    ]);
    expect(json.variable.lw_prod_account.validation[0].error_message).toContain(
      'TF_VAR_lw_prod_account',
    );
  });

  it.each([
    [{ prefix: '1bad' }, /`prefix` must be a Terraform identifier/],
    [{ prefix: 'has space' }, /`prefix` must be a Terraform identifier/],
    [{ account: true, baseUrl: true }, /Set `account` or `baseUrl` to true, not both/],
    [{ acount: true }, /unknown option `acount`/],
  ])('rejects %o', (config, message) => {
    const stack = newStack(flavour);
    expect(() => new LaceworkKeyVariables(stack, 'key', config as never)).toThrow(message);
  });
});
