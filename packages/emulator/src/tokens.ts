import { randomBytes } from 'node:crypto';

/** A token the emulator issued. */
export interface IssuedToken {
  keyId: string;
  /** Epoch milliseconds. */
  expiresAt: number;
  revoked: boolean;
}

/** Why a presented token is not accepted. */
export type TokenProblem = 'unknown' | 'expired' | 'revoked';

/** Issued tokens, checked against the real clock on every use. */
export class TokenRegistry {
  readonly #tokens = new Map<string, IssuedToken>();

  issue(
    keyId: string,
    expiryTimeSeconds: number,
    now = Date.now(),
  ): { token: string; expiresAt: number } {
    // Opaque and long like Lacework's; hex keeps it header-safe.
    const token = randomBytes(56).toString('hex').toUpperCase();
    const expiresAt = now + expiryTimeSeconds * 1000;
    this.#tokens.set(token, { keyId, expiresAt, revoked: false });
    return { token, expiresAt };
  }

  check(
    token: string,
    now = Date.now(),
  ): { ok: true; keyId: string } | { ok: false; problem: TokenProblem; keyId?: string } {
    const t = this.#tokens.get(token);
    if (!t) return { ok: false, problem: 'unknown' };
    if (t.revoked) return { ok: false, problem: 'revoked', keyId: t.keyId };
    if (now >= t.expiresAt) return { ok: false, problem: 'expired', keyId: t.keyId };
    return { ok: true, keyId: t.keyId };
  }

  has(token: string): boolean {
    return this.#tokens.has(token);
  }

  revoke(keyId?: string): number {
    let n = 0;
    for (const t of this.#tokens.values()) {
      if (!t.revoked && (keyId === undefined || t.keyId === keyId)) {
        t.revoked = true;
        n++;
      }
    }
    return n;
  }
}

/**
 * The token in `Authorization: Bearer <t>` (scheme case-insensitive), or a bare `<t>` (no scheme,
 * as the Go SDK sends it) unless `bareTokens` is false (strict mode: then it is `undefined`).
 */
export function tokenFromAuthorization(
  header: string | undefined,
  bareTokens = true,
): string | undefined {
  if (header === undefined) return undefined;
  const value = header.trim();
  const m = /^bearer\s+(.+)$/i.exec(value);
  if (!m && !bareTokens) return undefined;
  const token = (m ? m[1] : value)?.trim();
  return token ? token : undefined;
}
