import type { DataSourceLike, ProviderLike } from './library.js';

/** What each way of getting the token hands to `LaceworkAccessToken`. */
export interface TokenParts {
  /** The Terraform element that produces the token (a data source or an ephemeral resource). */
  readonly element: DataSourceLike;
  /** The lacework-auth provider block, in the provider modes. */
  readonly provider: ProviderLike | undefined;
  readonly baseUrl: string;
  readonly token: string;
  readonly expiresAt: string;
  /** The sub-account as the stack gives it (for `apiHeaders`), if any. */
  readonly subAccount: string | undefined;
}

/** Escapes Terraform template sequences in a literal so it reaches Terraform unchanged. */
export function escapeTemplate(value: string): string {
  return value.replace(/\$\{/g, '$${').replace(/%\{/g, '%%{');
}
