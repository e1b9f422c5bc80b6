import { createHash } from 'node:crypto';

/**
 * @internal A UUID-shaped id derived from `name`, so that generating the same collection twice
 * gives byte-identical JSON (stable diffs, stable Postman imports).
 */
export function stableId(name: string): string {
  const hex = createHash('sha256').update(`@lacework-auth/postman:${name}`).digest('hex');
  // Shaped as a version-5-style UUID (variant bits 10xx) so tools that check the form accept it.
  const variant = ((Number.parseInt(hex.slice(16, 17), 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
