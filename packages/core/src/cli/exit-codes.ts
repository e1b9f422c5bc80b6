import { isLaceworkAuthError } from '../protocol/errors.js';

/**
 * Exit codes shared by every lacework-auth CLI (`lacework-token`, `lacework-api`,
 * `lacework-postman`, `lacework-emulator`, `lacework-auth-terraform-provider`), so scripts can
 * branch on them.
 *
 * | code | meaning |
 * | --- | --- |
 * | 0 | done |
 * | 1 | failed otherwise: Lacework answered with an error (HTTP 4xx/5xx, rate limit, bad answer), unreadable input, I/O |
 * | 2 | wrong usage: unknown flag or command, bad flag value, missing argument |
 * | 3 | configuration: no key or account found, a key file, profile or `LW_*` value that cannot be used |
 * | 4 | credentials: Lacework refused the key (or a fresh token) |
 * | 5 | network: Lacework could not be reached, or did not answer in time |
 */
export const EXIT_CODES = Object.freeze({
  ok: 0,
  failure: 1,
  usage: 2,
  configuration: 3,
  credentials: 4,
  network: 5,
});

/** The exit code for an error a CLI could not recover from (see {@link EXIT_CODES}). */
export function exitCodeFor(error: unknown): number {
  if (!isLaceworkAuthError(error)) return EXIT_CODES.failure;
  switch (error.code) {
    case 'ERR_LW_INVALID_OPTION':
    case 'ERR_LW_MISSING_CREDENTIALS':
    case 'ERR_LW_INVALID_BASE_URL':
      return EXIT_CODES.configuration;
    case 'ERR_LW_KEY_REJECTED':
    case 'ERR_LW_UNAUTHORIZED':
      return EXIT_CODES.credentials;
    case 'ERR_LW_NETWORK':
    case 'ERR_LW_TIMEOUT':
      return EXIT_CODES.network;
    default:
      return EXIT_CODES.failure;
  }
}
