import { describe, expect, it } from 'vitest';
import './support/temp-dir.js';
import { flavours, newStack, synthJson } from './support/flavours.js';

const TOKEN = '${sensitive(jsondecode(data.http.lacework.response_body).token)}';
const SERVER_EXPIRY = 'jsondecode(data.http.lacework.response_body).expiresAt';
const LOCAL_EXPIRY = 'timeadd(plantimestamp(), "3600s")';
const EXPIRES_AT = `\${(timecmp(${SERVER_EXPIRY}, ${LOCAL_EXPIRY}) == 1) ? ${LOCAL_EXPIRY} : ${SERVER_EXPIRY}}`;

describe.each(flavours)('what the token exposes ($name)', (flavour) => {
  const { LaceworkAccessToken, LaceworkKeyVariables } = flavour.pkg;
  const { TerraformOutput, TerraformLocal, TerraformDataSource } = flavour.lib;

  function setup(options: { subAccount?: string; orgAccess?: boolean } = {}) {
    const stack = newStack(flavour);
    const key = new LaceworkKeyVariables(stack, 'key');
    const lacework = new LaceworkAccessToken(stack, 'lacework', {
      account: 'acme',
      ...key.config(),
      ...options,
    });
    return { stack, lacework };
  }

  it('marks the token and the Authorization header sensitive in outputs and locals', () => {
    const { stack, lacework } = setup();
    new TerraformOutput(stack, 'token', { value: lacework.token, sensitive: true });
    new TerraformOutput(stack, 'authorization', {
      value: lacework.authorizationHeader,
      sensitive: true,
    });
    new TerraformOutput(stack, 'expires_at', { value: lacework.expiresAt });
    new TerraformOutput(stack, 'base_url', { value: lacework.baseUrl });
    const local = new TerraformLocal(stack, 'bearer', lacework.authorizationHeader);
    new TerraformOutput(stack, 'via_local', { value: local.asString, sensitive: true });

    const json = synthJson(flavour, stack);
    expect(json.output).toEqual({
      token: { value: TOKEN, sensitive: true },
      authorization: { value: `Bearer ${TOKEN}`, sensitive: true },
      // As core: the earlier of Lacework's expiresAt and request (plan) time + expiryTime.
      expires_at: { value: EXPIRES_AT },
      base_url: { value: 'https://acme.lacework.net' },
      via_local: { value: '${local.bearer}', sensitive: true },
    });
    // The local keeps the sensitive() wrapper, so Terraform redacts it wherever it flows.
    expect(json.locals).toEqual({ bearer: `Bearer ${TOKEN}` });
  });

  it('gives apiHeaders and apiUrl for calling the API from another http data source', () => {
    const { stack, lacework } = setup({ subAccount: 'acme-dev', orgAccess: true });
    const profile = new TerraformDataSource(stack, 'profile', {
      terraformResourceType: 'http',
      terraformGeneratorMetadata: { providerName: 'http' },
    });
    profile.addOverride('url', lacework.apiUrl('/UserProfile'));
    profile.addOverride('request_headers', lacework.apiHeaders);
    expect(lacework.apiUrl('api/v2/Alerts/search')).toBe(
      'https://acme.lacework.net/api/v2/Alerts/search',
    );

    const json = synthJson(flavour, stack);
    expect(json.data.http.profile).toEqual({
      url: 'https://acme.lacework.net/api/v2/UserProfile',
      request_headers: {
        Authorization: `Bearer ${TOKEN}`,
        Accept: 'application/json',
        'Account-Name': 'acme-dev',
        'Org-Access': 'true',
      },
    });
  });

  it('works as a dependency: fqn is the data source address', () => {
    const { stack, lacework } = setup();
    expect(lacework.fqn).toBe(lacework.dataSource.fqn);
    const after = new TerraformDataSource(stack, 'after', {
      terraformResourceType: 'http',
      terraformGeneratorMetadata: { providerName: 'http' },
      dependsOn: [lacework],
    });
    after.addOverride('url', 'https://example.com');
    expect(synthJson(flavour, stack).data.http.after.depends_on).toEqual(['data.http.lacework']);
  });

  it('exposes the data source as an escape hatch', () => {
    const { stack, lacework } = setup();
    lacework.dataSource.addOverride('insecure', false);
    expect(synthJson(flavour, stack).data.http.lacework.insecure).toBe(false);
  });
});
