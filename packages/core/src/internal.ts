/**
 * `@lacework-auth/core/internal`: the toolkit the other lacework-auth packages share instead of
 * copying it. Internal: not covered by semver, it changes with the packages that use it; do not
 * import it from your own code. The protocol rules themselves are `@lacework-auth/core/protocol`.
 *
 * - option checks with messages that name the option and never quote a secret
 * - the "did you mean" of every CLI's unknown flags
 * - redaction and the one way a message shows user input
 * - token provider checks
 * - private (0600) file writes
 * - warning codes
 * - the decision after an API attempt (401/403 → replace once, 429/5xx → retry)
 *
 * @packageDocumentation
 */
export { closestFlag } from './cli/flags.js';
export { type Decision, decide, type Outcome, type RequestState } from './client/decision.js';
export { warnIfExposed } from './credentials/permissions.js';
export { apiFailure, apiHeaders, isRepeatable, isTokenRefusal } from './protocol/api.js';
export { sanitizeCause } from './protocol/errors.js';
export {
  containsSecretLike,
  ECHO_MIN_LENGTH,
  echoesSecret,
  holdsSecret,
  isShown,
  keyIdHint,
  looksLikeSecret,
  redactText,
  SAFE_INPUT,
  showInput,
} from './protocol/redact.js';
export { DEFAULT_RETRY, type RetryPolicy } from './protocol/retry.js';
export { ECHO_WITHHELD, serverMessage } from './protocol/server-message.js';
export { describe, validateExpiryTime, validateHeaderValue } from './protocol/validate.js';
export { freshToken } from './provider/token-provider.js';
export { isStoredToken } from './stores/types.js';
export { readBodyText, transportError } from './toolkit/http-errors.js';
export {
  assertKnownOptions,
  assertOptionsObject,
  closestName,
  HIDDEN_OPTION,
  unknownOptionError,
  validateBoolean,
  validateCount,
  validateFunction,
  validateInteger,
  validateMs,
} from './toolkit/options.js';
export {
  writeNewPrivateFile,
  writePrivateFile,
  writePrivateFileSync,
} from './toolkit/private-file.js';
export { assertNothingBesideProvider, assertTokenProvider } from './toolkit/providers.js';
export { normalizeRetry, sleep } from './toolkit/retry-options.js';
export {
  defaultWarningHandler,
  WARNING_CODES,
  type WarningCode,
  type WarningHandler,
} from './toolkit/warnings.js';
