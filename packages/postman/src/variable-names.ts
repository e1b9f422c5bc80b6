// The Postman variables the Lacework auth script reads and writes. One module for both sides: the
// generator (script.ts) and the sandbox script itself (sandbox/lacework-auth.ts, bundled in).

/** Names of the Postman variables the script reads and writes. */
export interface VariableNames {
  /** Read: base URL (`https://acme.lacework.net`) or account name (`acme`). @default 'lw_base_url' */
  baseUrl: string;
  /** Read: API key ID. @default 'lw_key_id' */
  keyId: string;
  /** Read: API key secret. @default 'lw_secret' */
  secret: string;
  /** Read, optional: sub-account, sent as `Account-Name`. @default 'lw_sub_account' */
  subAccount: string;
  /** Read, optional: `true` sends `Org-Access: true` (organization-level API). @default 'lw_org_access' */
  orgAccess: string;
  /** Read, optional: token lifetime in seconds, 1..86400. @default 'lw_expiry_time' */
  expiryTime: string;
  /**
   * Read, optional: `true` lets the script send the API secret to a `lw_base_url` host other than
   * `*.lacework.net` or loopback (a proxy you trust). @default 'lw_allow_any_host'
   */
  allowAnyHost: string;
  /** Written: the bearer token (the cache the script reads back). @default 'lw_token' */
  token: string;
  /**
   * Written (local scope only, on every request): what the collection's bearer auth sends, the
   * token on a Lacework request and nothing on any other. Never stored, so if the script does not
   * run (its event deleted or disabled), the auth sends the unresolved `{{lw_request_token}}`,
   * not a token kept from an earlier run. @default 'lw_request_token'
   */
  requestToken: string;
  /** Written: when the token expires (ISO 8601). @default 'lw_token_expires_at' */
  tokenExpiresAt: string;
  /** Written: when the token was requested (ISO 8601), to know its lifetime. @default 'lw_token_issued_at' */
  tokenIssuedAt: string;
  /** Written: base URL, key ID and sub-account the token belongs to (never the secret). @default 'lw_token_for' */
  tokenFor: string;
  /** Written: the request that is being retried after a 401/403. @default 'lw_auth_retried' */
  retried: string;
  /** Written (local scope): whether this request's token was just exchanged. @default 'lw_auth_fresh' */
  fresh: string;
  /** Written (local scope): a rejected key or 429, so the rest of a run does not ask again. @default 'lw_auth_blocked' */
  blocked: string;
}

/** Default variable names, as the README's variables table lists them. */
export const DEFAULT_VARIABLE_NAMES: Readonly<VariableNames> = Object.freeze({
  baseUrl: 'lw_base_url',
  keyId: 'lw_key_id',
  secret: 'lw_secret',
  subAccount: 'lw_sub_account',
  orgAccess: 'lw_org_access',
  expiryTime: 'lw_expiry_time',
  allowAnyHost: 'lw_allow_any_host',
  token: 'lw_token',
  requestToken: 'lw_request_token',
  tokenExpiresAt: 'lw_token_expires_at',
  tokenIssuedAt: 'lw_token_issued_at',
  tokenFor: 'lw_token_for',
  retried: 'lw_auth_retried',
  fresh: 'lw_auth_fresh',
  blocked: 'lw_auth_blocked',
});
