// The Lacework token protocol as pure rules: no `node:` imports, no I/O, no `URL`, `Headers` or
// `TextDecoder` (Postman's sandbox has none). Every runtime of lacework-auth follows these: core
// calls them, the Postman sandbox script is bundled from them, the cdktf conditions are checked
// against them, and the conformance table (packages/core/conformance) runs them all.
export {
  apiFailure,
  apiHeaders,
  isApiPath,
  isRepeatable,
  isSearch,
  isTokenRefusal,
  PERMISSION_COOLDOWN_MS,
} from './api.js';
export {
  type BaseUrlProblem,
  type BaseUrlReading,
  isLoopbackHost,
  type ResolveBaseUrlOptions,
  readBaseUrl,
  resolveBaseUrl,
} from './base-url.js';
export {
  API_PREFIX,
  DEFAULT_EXPIRY_TIME,
  HEADERS,
  LACEWORK_SUFFIX,
  MAX_EXPIRY_TIME,
  RATE_LIMIT_PER_HOUR,
  TOKEN_PATH,
} from './constants.js';
export * from './errors.js';
export {
  type AnswerContext,
  CORE_WORDING,
  classifyTokenAnswer,
  type ExchangeWording,
  type HttpAnswer,
  isRetryableExchangeFailure,
  MAX_TOKEN_LENGTH,
  readTokenAnswer,
  TOKEN_ANSWER_CODES,
  type TokenAnswer,
  type TokenAnswerProblem,
  type TokenAnswerReading,
  type TokenRequest,
  type TokenRequestInput,
  tokenRequest,
} from './exchange.js';
export { PATTERNS } from './patterns.js';
export * from './redact.js';
export { isServable, prefetchAt, refreshAt, refreshWindowMs, type TokenTiming } from './refresh.js';
export {
  backoffDelay,
  DEFAULT_RETRY,
  type HeaderReader,
  parseRetryAfter,
  RETRY_STATUSES,
  type RetryPolicy,
} from './retry.js';
export { ECHO_WITHHELD, looksLikeHtml, serverMessage } from './server-message.js';
export { type HttpUrl, readHttpUrl } from './url.js';
export {
  describe,
  isSubAccountName,
  validateExpiryTime,
  validateHeaderValue,
  validateSubAccount,
} from './validate.js';
