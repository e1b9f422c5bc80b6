import type { WarningHandler } from '../toolkit/warnings.js';

/** An API key and where to use it. */
export interface Credentials {
  /** Account name or domain (`acme`, `acme.lacework.net`, `acme.fra.lacework.net`). */
  account?: string | undefined;
  /** API base URL; overrides `account` (any host allowed, `http:` for loopback). */
  baseUrl?: string | undefined;
  /** API key ID. */
  keyId: string;
  /** API key secret (starts with `_`). Never logged. */
  secret: string;
  /** Sub-account, sent as `Account-Name`. */
  subAccount?: string | undefined;
  /** Send `Org-Access: true` (organization-level requests). */
  orgAccess?: boolean | undefined;
}

/** {@link Credentials} with the base URL resolved. */
export interface ResolvedCredentials extends Credentials {
  /** API base URL, e.g. `https://acme.lacework.net`. */
  baseUrl: string;
}

/** Options for {@link resolveCredentials}: explicit values and where else to look. */
export interface ResolveCredentialsOptions {
  /** Explicit account (wins over every other source). */
  account?: string | undefined;
  /** Explicit base URL (wins over `account` and `LW_API_SERVER_URL`). */
  baseUrl?: string | undefined;
  /** Explicit key ID (give `secret` with it). */
  keyId?: string | undefined;
  /** Explicit secret (give `keyId` with it). */
  secret?: string | undefined;
  /** Explicit sub-account. */
  subAccount?: string | undefined;
  /** Explicit organization-level access. */
  orgAccess?: boolean | undefined;
  /**
   * Profile (section) of the config file.
   * @default `LW_PROFILE`, else `"default"`
   */
  profile?: string | undefined;
  /**
   * The Lacework CLI config file.
   * @default `~/.lacework.toml`
   */
  configFile?: string | undefined;
  /** A key JSON file downloaded from the console; the lowest-precedence source. */
  keyFile?: string | undefined;
  /**
   * Environment to read `LW_*` variables from (pass `{}` to ignore the environment).
   * @default process.env
   */
  env?: Record<string, string | undefined> | undefined;
  /**
   * Receives warnings: a key file or config readable by others; with `createTokenProvider`, also a
   * failing token store and a clock ahead of Lacework's (clock skew). @default process.emitWarning
   */
  onWarning?: WarningHandler | undefined;
}

/** Option names accepted by {@link resolveCredentials}. */
export const RESOLVE_CREDENTIALS_OPTIONS = [
  'account',
  'baseUrl',
  'keyId',
  'secret',
  'subAccount',
  'orgAccess',
  'profile',
  'configFile',
  'keyFile',
  'env',
  'onWarning',
] as const;
