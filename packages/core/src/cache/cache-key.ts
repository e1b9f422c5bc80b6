import { createHash } from 'node:crypto';
import type { ResolvedCredentials } from '../credentials/types.js';

/**
 * The store key for a key + settings: a SHA-256 over base URL, keyId, sub-account, org access,
 * expiry time and a hash of the secret. It never contains the secret; hashing the secret in keeps a
 * wrong secret from being answered with a token cached for the right one.
 *
 * @example
 * ```ts
 * const key = cacheKey({ baseUrl, keyId, secret }, 3600); // 'lw-3f1c…'
 * ```
 */
export function cacheKey(credentials: ResolvedCredentials, expiryTime: number): string {
  const secretHash = createHash('sha256').update(credentials.secret).digest('hex');
  const material = JSON.stringify([
    'lacework-auth/v1',
    credentials.baseUrl,
    credentials.keyId,
    credentials.subAccount ?? '',
    credentials.orgAccess === true,
    expiryTime,
    secretHash,
  ]);
  return `lw-${createHash('sha256').update(material).digest('hex')}`;
}
