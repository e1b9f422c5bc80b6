import { isLaceworkAuthError } from '@lacework-auth/core';
import { describe, expect, it } from 'vitest';
import './support/temp-dir.js';
import { PROVIDER_SOURCE, PROVIDER_VERSION } from '../src/provider/address.js';
import { flavours, newStack, synthJson } from './support/flavours.js';

const SECRET = '_modes0canary0secret0000';

describe.each(flavours)('provider modes at synth time ($name)', (flavour) => {
  const { LaceworkAccessToken } = flavour.pkg;

  it('the default mode declares the lacework-auth provider and data source, and no key', () => {
    const stack = newStack(flavour);
    const token = new LaceworkAccessToken(stack, 'lacework', {
      account: 'acme',
      subAccount: 'acme-dev',
      orgAccess: true,
      profile: 'prod',
      expiryTime: 900,
    });
    new flavour.lib.TerraformOutput(stack, 'token', { value: token.token, sensitive: true });
    new flavour.lib.TerraformOutput(stack, 'expires_at', { value: token.expiresAt });
    const json = synthJson(flavour, stack);
    expect(json.output).toEqual({
      token: { value: '${data.lacework-auth_token.lacework.token}', sensitive: true },
      expires_at: { value: '${data.lacework-auth_token.lacework.expires_at}' },
    });
    expect(json.terraform.required_providers['lacework-auth']).toEqual({
      source: PROVIDER_SOURCE,
      version: PROVIDER_VERSION,
    });
    expect(json.provider['lacework-auth']).toEqual([
      {
        alias: 'lacework',
        account: 'acme',
        sub_account: 'acme-dev',
        org_access: true,
        profile: 'prod',
      },
    ]);
    const { '//': _meta, ...data } = json.data['lacework-auth_token'].lacework;
    expect(data).toEqual({ expiry_time: 900, provider: 'lacework-auth.lacework' });
    expect(json.variable).toBeUndefined();
    expect(token.mode).toBe('data-source');
    expect(token.baseUrl).toBe('https://acme.lacework.net');
    expect(token.apiHeaders).toMatchObject({ 'Account-Name': 'acme-dev', 'Org-Access': 'true' });
  });

  it('two tokens get a provider block each (different accounts in one stack)', () => {
    const stack = newStack(flavour);
    new LaceworkAccessToken(stack, 'prod', { account: 'acme' });
    new LaceworkAccessToken(stack, 'dev', { account: 'acme-dev' });
    const json = synthJson(flavour, stack);
    expect(json.provider['lacework-auth'].map((p: { alias: string }) => p.alias).sort()).toEqual([
      'dev',
      'prod',
    ]);
  });

  it.each([
    ['keyId', { keyId: 'ACME_KEY' }],
    ['secret', { secret: SECRET }],
    ['retry', { retry: false }],
  ])('rejects `%s` outside the http-data-source mode, without quoting it', (name, extra) => {
    const stack = newStack(flavour);
    let error: unknown;
    try {
      new LaceworkAccessToken(stack, 'lacework', { account: 'acme', ...extra } as never);
    } catch (caught) {
      error = caught;
    }
    expect(isLaceworkAuthError(error, 'ERR_LW_INVALID_OPTION')).toBe(true);
    const message = (error as Error).message;
    expect(message).toContain(`\`${name}\` applies only to \`mode: 'http-data-source'\``);
    expect(message).not.toContain(SECRET);
    if (name !== 'retry') expect(message).toContain('LW_API_KEY and LW_API_SECRET');
  });

  it('rejects an unknown mode', () => {
    const stack = newStack(flavour);
    expect(() => new LaceworkAccessToken(stack, 'lacework', { mode: 'ephemral' } as never)).toThrow(
      /`mode` must be one of 'data-source', 'ephemeral', 'http-data-source'/,
    );
  });
});

describe('the ephemeral mode', () => {
  const [cdktf, cdktn] = flavours as [(typeof flavours)[0], (typeof flavours)[0]];

  it('synthesizes ephemeral "lacework-auth_token" with CDK Terrain', () => {
    const app = cdktn.lib.Testing.app({ context: { targetVersions: { terraform: '>=1.10.0' } } });
    const stack = new cdktn.lib.TerraformStack(app, 'test');
    const token = new cdktn.pkg.LaceworkAccessToken(stack, 'lacework', {
      mode: 'ephemeral',
      baseUrl: 'http://127.0.0.1:8080',
    });
    new cdktn.lib.TerraformLocal(stack, 'bearer', token.authorizationHeader);
    const json = synthJson(cdktn, stack);
    expect(json.locals).toEqual({
      bearer: 'Bearer ${ephemeral.lacework-auth_token.lacework.token}',
    });
    const { '//': _meta, ...ephemeral } = json.ephemeral['lacework-auth_token'].lacework;
    expect(ephemeral).toEqual({ expiry_time: 3600, provider: 'lacework-auth.lacework' });
    expect(json.data).toBeUndefined();
  });

  it('CDK Terrain refuses it unless the app targets Terraform >= 1.10', () => {
    const stack = newStack(cdktn);
    new cdktn.pkg.LaceworkAccessToken(stack, 'lacework', { mode: 'ephemeral', account: 'acme' });
    expect(() => synthJson(cdktn, stack)).toThrow(/ephemeral resources/i);
  });

  it('cdktf 0.21 cannot express it: a clear error names CDK Terrain', () => {
    const stack = newStack(cdktf);
    expect(
      () =>
        new cdktf.pkg.LaceworkAccessToken(stack, 'lacework', {
          mode: 'ephemeral',
          account: 'acme',
        }),
    ).toThrow(/cdktf 0\.21 cannot express: use CDK Terrain \(cdktn 0\.24/);
  });
});

describe.each(flavours)('http-data-source mode headers ($name)', (flavour) => {
  it('sends Org-Access on the token request, as core does', () => {
    const stack = newStack(flavour);
    const key = new flavour.pkg.LaceworkKeyVariables(stack, 'key');
    new flavour.pkg.LaceworkAccessToken(stack, 'lacework', {
      account: 'acme',
      ...key.config(),
      orgAccess: true,
    });
    const headers = synthJson(flavour, stack).data.http.lacework.request_headers;
    expect(headers['Org-Access']).toBe('true');
  });
});
