import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * Where Terraform finds the provider: `terraform.local/lacework-auth/lacework-auth`. The host is
 * not a registry (`.local` is reserved for multicast DNS, so nobody can publish a provider there):
 * Terraform installs it only from a local mirror, and a stack whose mirror is missing fails
 * `terraform init` instead of downloading someone else's provider of the same name.
 */
export const PROVIDER_HOST = 'terraform.local';
export const PROVIDER_NAMESPACE = 'lacework-auth';
export const PROVIDER_SOURCE = `${PROVIDER_HOST}/${PROVIDER_NAMESPACE}/lacework-auth`;

/** The provider's version: the version of this npm package, which ships it. */
export const PROVIDER_VERSION: string = (require('../../package.json') as { version: string })
  .version;
