import type { Construct, IConstruct } from 'constructs';
import type { CdkLibrary, ProviderLike } from './library.js';

/** Registry source of the provider the token data source runs on. */
export const HTTP_PROVIDER_SOURCE = 'hashicorp/http';

/**
 * Versions of `hashicorp/http` the data source works with. Per the provider's CHANGELOG:
 * `method` and `request_body` arrived in 3.1.0, the `retry` block (`attempts`, `min_delay_ms`,
 * `max_delay_ms`) and `request_timeout_ms` in 3.3.0, and 3.4.1 fixed go-retryablehttp losing the
 * request body of a retried or redirected POST, which is exactly what the token exchange is.
 */
export const HTTP_PROVIDER_VERSION = '>= 3.4.1, < 4.0.0';

/** Construct id of the default `http` provider this package adds to a stack. */
const PROVIDER_ID = 'lacework-auth-http-provider';

function isOtherDefaultHttpProvider(lib: CdkLibrary, node: IConstruct, self: IConstruct): boolean {
  if (node === self || !lib.TerraformProvider.isTerraformProvider(node)) return false;
  const provider = node as ProviderLike;
  return provider.terraformResourceType === 'http' && !provider.alias;
}

/**
 * Makes sure the stack declares `hashicorp/http` in `required_providers` and has a default
 * `provider "http"` block. The provider we add renders nothing when the stack has its own
 * default `http` provider (for example `HttpProvider` from prebuilt bindings, added before or
 * after us), so Terraform never sees two default configurations.
 */
export function ensureHttpProvider(lib: CdkLibrary, scope: Construct): ProviderLike {
  const stack = lib.TerraformStack.of(scope) as Construct;
  const existing = stack.node.tryFindChild(PROVIDER_ID);
  if (existing) return existing as ProviderLike;

  class LaceworkAuthHttpProvider extends lib.TerraformProvider {
    override toTerraform(): unknown {
      return this.#yieldsToAnother() ? {} : super.toTerraform();
    }

    override toHclTerraform(): unknown {
      return this.#yieldsToAnother() ? {} : super.toHclTerraform();
    }

    #yieldsToAnother(): boolean {
      return stack.node.findAll().some((node) => isOtherDefaultHttpProvider(lib, node, this));
    }
  }

  return new LaceworkAuthHttpProvider(stack, PROVIDER_ID, {
    terraformResourceType: 'http',
    terraformProviderSource: HTTP_PROVIDER_SOURCE,
    terraformGeneratorMetadata: {
      providerName: 'http',
      providerVersionConstraint: HTTP_PROVIDER_VERSION,
    },
  });
}
