import { InvalidOptionError, resolveBaseUrl } from '@lacework-auth/core';
import type { Construct } from 'constructs';
import type { CdkLibrary, DataSourceLike, ProviderLike } from './library.js';
import type { NormalizedConfig } from './options.js';
import { PROVIDER_SOURCE, PROVIDER_VERSION } from './provider/address.js';
import { PROVIDER_TYPE, TOKEN_TYPE } from './provider/schema.js';
import { escapeTemplate, type TokenParts } from './token-parts.js';

/**
 * `mode: 'data-source'` and `mode: 'ephemeral'`: a `lacework-auth` provider block of its own
 * (aliased after the token, so tokens for different accounts can share a stack) and
 * `data`/`ephemeral "lacework-auth_token"`. The provider block holds only where to find the key
 * (account, profile, key file); the key itself is read by the provider where Terraform runs.
 */
export function providerToken(
  lib: CdkLibrary,
  scope: Construct,
  options: NormalizedConfig,
): TokenParts {
  const { Token } = lib;
  const text = (value: string) => (Token.isUnresolved(value) ? value : escapeTemplate(value));
  const ephemeral = options.mode === 'ephemeral';
  if (ephemeral && !lib.TerraformEphemeralResource) {
    throw new InvalidOptionError(
      "`mode: 'ephemeral'` needs ephemeral resources, which cdktf 0.21 cannot express: use CDK Terrain " +
        "(cdktn 0.24, import from '@lacework-auth/cdktf/cdktn') with targetVersions terraform >= 1.10, or the default mode.",
      { option: 'mode' },
    );
  }

  // The token's own logical id (its child is "Default"), unique in the stack.
  const alias = aliasFor(scope);
  // TerraformProvider's alias accessors are placeholders that generated bindings override.
  class LaceworkAuthProvider extends lib.TerraformProvider {
    override get alias(): string | undefined {
      return alias;
    }
    override set alias(_value: string | undefined) {}
  }
  const provider: ProviderLike = new LaceworkAuthProvider(scope, 'Provider', {
    terraformResourceType: PROVIDER_TYPE,
    terraformProviderSource: PROVIDER_SOURCE,
    terraformGeneratorMetadata: {
      providerName: PROVIDER_TYPE,
      providerVersionConstraint: PROVIDER_VERSION,
    },
  });
  const settings: Record<string, unknown> = {
    account: options.account,
    base_url: options.baseUrl,
    sub_account: options.subAccount,
    org_access: options.orgAccess ? true : undefined,
    profile: options.profile,
    key_file: options.keyFile,
  };
  for (const [name, value] of Object.entries(settings)) {
    if (value !== undefined)
      provider.addOverride(name, typeof value === 'string' ? text(value) : value);
  }

  const Element = ephemeral
    ? (lib.TerraformEphemeralResource as NonNullable<CdkLibrary['TerraformEphemeralResource']>)
    : lib.TerraformDataSource;
  const element: DataSourceLike = new Element(scope, 'Default', {
    terraformResourceType: TOKEN_TYPE,
    terraformGeneratorMetadata: {
      providerName: PROVIDER_TYPE,
      providerVersionConstraint: PROVIDER_VERSION,
    },
    provider,
    ...(options.dependsOn ? { dependsOn: options.dependsOn } : {}),
  });
  element.addOverride('expiry_time', options.expiryTime);

  return {
    element,
    provider,
    baseUrl: literalBaseUrl(lib, options) ?? element.getStringAttribute('base_url'),
    token: element.getStringAttribute('token'),
    expiresAt: element.getStringAttribute('expires_at'),
    subAccount: options.subAccount === undefined ? undefined : text(options.subAccount),
  };
}

/** The base URL at synth time when the stack names it literally (so `apiUrl()` is plain text). */
function literalBaseUrl(lib: CdkLibrary, options: NormalizedConfig): string | undefined {
  const given = options.baseUrl ?? options.account;
  if (given === undefined || lib.Token.isUnresolved(given)) return undefined;
  return resolveBaseUrl(given, { allowAnyHost: options.baseUrl !== undefined });
}

/** A provider alias from the construct path: letters, digits, `_` and `-`, unique per stack. */
function aliasFor(scope: Construct): string {
  const path = scope.node.path.split('/').slice(1).join('_');
  return path.replace(/[^A-Za-z0-9_-]/g, '_').replace(/^([^A-Za-z_])/, '_$1');
}
