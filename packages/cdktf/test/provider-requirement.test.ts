import type { Construct } from 'constructs';
import { describe, expect, it } from 'vitest';
import './support/temp-dir.js';
import { HTTP_PROVIDER_SOURCE, HTTP_PROVIDER_VERSION } from '../src/index.js';
import { flavours, newStack, synthJson } from './support/flavours.js';

describe.each(flavours)('the hashicorp/http provider requirement ($name)', (flavour) => {
  const { LaceworkAccessToken, LaceworkKeyVariables } = flavour.pkg;
  const { TerraformProvider } = flavour.lib;

  /** Stands in for `HttpProvider` from prebuilt bindings (a default or aliased `http` provider). */
  function userHttpProvider(scope: Construct, id: string, alias?: string) {
    class HttpProvider extends TerraformProvider {
      override get alias() {
        return alias;
      }
      override set alias(_value: string | undefined) {}
      protected override synthesizeAttributes() {
        return { alias };
      }
    }
    return new HttpProvider(scope, id, {
      terraformResourceType: 'http',
      terraformProviderSource: 'hashicorp/http',
      terraformGeneratorMetadata: { providerName: 'http', providerVersion: '3.5.0' },
    });
  }

  it('requires hashicorp/http >= 3.4.1, < 4.0.0 (method, request_body, retry, POST body kept on retries)', () => {
    expect(HTTP_PROVIDER_SOURCE).toBe('hashicorp/http');
    expect(HTTP_PROVIDER_VERSION).toBe('>= 3.4.1, < 4.0.0');
    const stack = newStack(flavour);
    const key = new LaceworkKeyVariables(stack, 'key');
    new LaceworkAccessToken(stack, 'lacework', { account: 'acme', ...key.config() });
    const json = synthJson(flavour, stack);
    expect(json.terraform.required_providers).toEqual({
      http: { source: 'hashicorp/http', version: '>= 3.4.1, < 4.0.0' },
    });
    expect(json.provider).toEqual({ http: [{}] });
    expect(flavour.lib.Testing.toHaveProvider(flavour.lib.Testing.synth(stack), 'http')).toBe(true);
  });

  it('adds one provider block for several tokens in a stack', () => {
    const stack = newStack(flavour);
    const key = new LaceworkKeyVariables(stack, 'key');
    new LaceworkAccessToken(stack, 'prod', { account: 'acme', ...key.config() });
    new LaceworkAccessToken(stack, 'dev', { account: 'acme', ...key.config(), subAccount: 'dev' });
    const json = synthJson(flavour, stack);
    expect(json.provider.http).toHaveLength(1);
    expect(Object.keys(json.data.http).sort()).toEqual(['dev', 'prod']);
  });

  it.each(['before', 'after'])(
    'defers to a default http provider the user adds %s the token',
    (when) => {
      const stack = newStack(flavour);
      const key = new LaceworkKeyVariables(stack, 'key');
      if (when === 'before') userHttpProvider(stack, 'http');
      new LaceworkAccessToken(stack, 'lacework', { account: 'acme', ...key.config() });
      if (when === 'after') userHttpProvider(stack, 'http');
      const json = synthJson(flavour, stack);
      expect(json.provider.http).toHaveLength(1);
      expect(json.terraform.required_providers.http).toEqual({
        source: 'hashicorp/http',
        version: '3.5.0',
      });
    },
  );

  it('still adds the default provider when the user only has an aliased one', () => {
    const stack = newStack(flavour);
    const key = new LaceworkKeyVariables(stack, 'key');
    userHttpProvider(stack, 'proxy', 'proxy');
    new LaceworkAccessToken(stack, 'lacework', { account: 'acme', ...key.config() });
    const json = synthJson(flavour, stack);
    expect(json.provider.http).toHaveLength(2);
    expect(json.provider.http).toContainEqual({});
    expect(json.provider.http).toContainEqual({ alias: 'proxy' });
  });
});
