import type { LaceworkAccessTokenConfig } from '../../src/options.js';
import { type Flavour, newStack, synthJson } from './flavours.js';

/** Synthesized Terraform JSON (untyped). */
type TerraformJson = ReturnType<typeof synthJson>;

/**
 * An http-data-source token `lacework` whose key comes from variables (`var.lacework_key_id`,
 * `var.lacework_secret`), with `options`: its synthesized `data.http.lacework`.
 */
export function keyVariableToken(
  flavour: Flavour,
  options: Partial<LaceworkAccessTokenConfig>,
): TerraformJson {
  const stack = newStack(flavour);
  const key = new flavour.pkg.LaceworkKeyVariables(stack, 'key');
  new flavour.pkg.LaceworkAccessToken(stack, 'lacework', { ...key.config(), ...options });
  return synthJson(flavour, stack).data.http.lacework;
}

/**
 * Two http-data-source tokens whose key comes from variables: `prod_token` takes its account from
 * `var.prod_account`, `dev_token` its base URL from `var.dev_base_url`. Returns the synthesized
 * `data.http` (`.prod_token`, `.dev_token`).
 */
export function baseUrlVariableTokens(flavour: Flavour): TerraformJson {
  const { LaceworkAccessToken, LaceworkKeyVariables } = flavour.pkg;
  const stack = newStack(flavour);
  const prod = new LaceworkKeyVariables(stack, 'prod', { prefix: 'prod', account: true });
  const dev = new LaceworkKeyVariables(stack, 'dev', { prefix: 'dev', baseUrl: true });
  new LaceworkAccessToken(stack, 'prod_token', prod.config());
  new LaceworkAccessToken(stack, 'dev_token', dev.config());
  return synthJson(flavour, stack).data.http;
}

/** An http-data-source token on account `acme` whose expiry time is `var.expiry`: its `data.http.lacework`. */
export function expiryVariableToken(flavour: Flavour): TerraformJson {
  const { LaceworkAccessToken, LaceworkKeyVariables } = flavour.pkg;
  const stack = newStack(flavour);
  const key = new LaceworkKeyVariables(stack, 'key');
  const expiry = new flavour.lib.TerraformVariable(stack, 'expiry', { type: 'number' });
  new LaceworkAccessToken(stack, 'lacework', {
    account: 'acme',
    ...key.config(),
    expiryTime: expiry.numberValue,
  });
  return synthJson(flavour, stack).data.http.lacework;
}
