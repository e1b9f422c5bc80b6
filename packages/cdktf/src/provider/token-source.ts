import {
  createTokenProvider,
  DEFAULT_EXPIRY_TIME,
  defaultCacheDir,
  fileStore,
  isLaceworkAuthError,
  MAX_EXPIRY_TIME,
  type TokenProvider,
} from '@lacework-auth/core';
import type { Diagnostic } from './diagnostics.js';

/** `provider "lacework-auth"` as Terraform sends it (null for what is not set). */
export interface ProviderSettings {
  account: string | null;
  base_url: string | null;
  key_id: string | null;
  secret: string | null;
  sub_account: string | null;
  org_access: boolean | null;
  profile: string | null;
  key_file: string | null;
}

/** What the data source and the ephemeral resource return. */
export interface TokenResult {
  expiry_time: number | null;
  token: string;
  expires_at: string;
  base_url: string;
  sub_account: string | null;
  org_access: boolean;
}

/** A failure Terraform shows as an error diagnostic; the text never holds the secret or token. */
export class TokenSourceError extends Error {
  constructor(
    readonly summary: string,
    readonly detail: string,
  ) {
    super(`${summary}: ${detail}`);
    this.name = 'TokenSourceError';
  }
}

const isTruthy = (value: string | undefined) =>
  value !== undefined && value !== '' && !/^(0|false|no)$/i.test(value);

/**
 * Tokens for one provider configuration, through `@lacework-auth/core`: `createTokenProvider`
 * with a `fileStore` (0600 files under `$XDG_CACHE_HOME/lacework-auth` or
 * `~/.cache/lacework-auth`, keyed without the secret), so `plan`, `apply` and the next `plan` —
 * each a new provider process — share one exchange while the token is valid. `LW_NOCACHE=1`
 * turns the file cache off, as for the `lacework-token` CLI.
 */
export class TokenSource {
  readonly #settings: ProviderSettings;
  readonly #env: NodeJS.ProcessEnv;
  readonly #providers = new Map<number, TokenProvider>();
  readonly #warnings: string[] = [];

  constructor(settings: ProviderSettings, env: NodeJS.ProcessEnv = process.env) {
    if (settings.key_id !== null && settings.secret === null) {
      throw new TokenSourceError(
        'Incomplete API key',
        '`key_id` is set in the provider block but `secret` is not. A key id and its secret come from the same place: ' +
          'leave both out and set LW_API_KEY and LW_API_SECRET (or use a profile or key_file), or set both.',
      );
    }
    if (settings.secret !== null && settings.key_id === null) {
      throw new TokenSourceError(
        'Incomplete API key',
        '`secret` is set in the provider block but `key_id` is not: set both, or neither (LW_API_KEY and LW_API_SECRET).',
      );
    }
    this.#settings = settings;
    this.#env = env;
    // Fail at configure time, with core's message, when no key can be found at all.
    this.#provider(DEFAULT_EXPIRY_TIME);
  }

  /** Warnings collected from core (a key file readable by others, clock skew), then cleared. */
  takeWarnings(): string[] {
    return this.#warnings.splice(0);
  }

  /** A token valid for `expiryTime` seconds (cached across runs while valid). */
  async token(expiryTime: number | null): Promise<TokenResult> {
    const provider = this.#provider(expiryTime ?? DEFAULT_EXPIRY_TIME);
    try {
      const { token, expiresAt } = await provider.getToken();
      return {
        expiry_time: expiryTime,
        token,
        expires_at: expiresAt.toISOString(),
        base_url: provider.baseUrl,
        sub_account: provider.subAccount ?? null,
        org_access: provider.orgAccess === true,
      };
    } catch (error) {
      throw toSourceError(error, 'Lacework did not issue an API access token');
    }
  }

  #provider(expiryTime: number): TokenProvider {
    const existing = this.#providers.get(expiryTime);
    if (existing) return existing;
    const s = this.#settings;
    const optional = <T>(value: T | null) => (value === null ? undefined : value);
    try {
      const provider = createTokenProvider({
        account: optional(s.account),
        baseUrl: optional(s.base_url),
        keyId: optional(s.key_id),
        secret: optional(s.secret),
        subAccount: optional(s.sub_account),
        orgAccess: optional(s.org_access),
        profile: optional(s.profile),
        keyFile: optional(s.key_file),
        env: this.#env,
        expiryTime,
        ...(isTruthy(this.#env.LW_NOCACHE)
          ? {}
          : { store: fileStore({ dir: defaultCacheDir(this.#env) }) }),
        onWarning: (message) => {
          this.#warnings.push(message);
        },
      });
      this.#providers.set(expiryTime, provider);
      return provider;
    } catch (error) {
      throw toSourceError(error, 'Invalid Lacework provider configuration');
    }
  }
}

/** `expiry_time` as core requires it (integer 1..86400), as diagnostics. */
export function validateExpiryTime(value: unknown): Diagnostic[] {
  if (value === null || value === undefined || typeof value !== 'number') return [];
  if (Number.isInteger(value) && value >= 1 && value <= MAX_EXPIRY_TIME) return [];
  return [
    {
      severity: 'ERROR',
      summary: 'Invalid expiry_time',
      detail: `expiry_time must be an integer from 1 to ${MAX_EXPIRY_TIME} (seconds), got ${value}.`,
      attribute: { steps: [{ attribute_name: 'expiry_time' }] },
    },
  ];
}

function toSourceError(error: unknown, summary: string): TokenSourceError {
  if (error instanceof TokenSourceError) return error;
  // Core's messages never hold the secret or a token; anything else is reported by kind only.
  const detail = isLaceworkAuthError(error)
    ? `${error.message} [${error.code}]`
    : `unexpected ${(error as Error)?.name ?? 'error'}`;
  return new TokenSourceError(summary, detail);
}
