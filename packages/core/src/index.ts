export {
  type AcquireOptions,
  type BudgetTicket,
  budgetId,
  createRateBudget,
  DEFAULT_BUDGET,
  type ObservedResponse,
  type RateBudget,
  type RateBudgetOptions,
  type RateBudgetStats,
} from './budget/rate-budget.js';
export type { BudgetState, ServerView } from './budget/state.js';
export {
  type BudgetStore,
  type FileBudgetStoreOptions,
  fileBudgetStore,
  memoryBudgetStore,
} from './budget/stores.js';
export { cacheKey } from './cache/cache-key.js';
export { EXIT_CODES, exitCodeFor } from './cli/exit-codes.js';
export { canonicalPath, canonicalRoute } from './client/canonical-route.js';
export { createLaceworkClient, type LaceworkClientOptions } from './client/client.js';
export { emptyDataOn204 } from './client/empty-data.js';
export type { LaceworkClient, PaginateOptions } from './client/paginate.js';
export {
  PERMISSION_COOLDOWN_MS,
  type TokenRefusals,
  tokenRefusalsFor,
} from './client/token-refusals.js';
export {
  type ChainSetting,
  type CredentialChain,
  type CredentialChainOptions,
  type CredentialField,
  chainCredentials,
  chainSettings,
  explainChain,
  readCredentialChain,
} from './credentials/chain.js';
export { type ReadKeyFileOptions, readKeyFile } from './credentials/key-file.js';
export {
  type Credentials,
  type ResolveCredentialsOptions,
  type ResolvedCredentials,
  resolveCredentials,
} from './credentials/resolve.js';
export { isLoopbackHost, type ResolveBaseUrlOptions, resolveBaseUrl } from './protocol/base-url.js';
export { DEFAULT_EXPIRY_TIME, MAX_EXPIRY_TIME, TOKEN_PATH } from './protocol/constants.js';
export {
  BadResponseError,
  BudgetExhaustedError,
  CrossOriginRedirectError,
  ERROR_CODES,
  ForeignNextPageError,
  HttpError,
  InvalidBaseUrlError,
  type InvalidOptionDetails,
  InvalidOptionError,
  isLaceworkAuthError,
  KeyRejectedError,
  LaceworkAuthError,
  type LaceworkAuthErrorCode,
  type LaceworkAuthErrorDetails,
  MissingCredentialsError,
  NetworkError,
  RateLimitedError,
  RequestTimeoutError,
  ServerError,
  UnauthorizedError,
} from './protocol/errors.js';
export { SAFE_INPUT, showInput } from './protocol/redact.js';
export { refreshWindowMs } from './protocol/refresh.js';
export { validateExpiryTime } from './protocol/validate.js';
export {
  type AccessToken,
  type ExchangeRequest,
  type ExchangeResult,
  exchangeKey,
} from './provider/exchange.js';
export type { TokenProviderOptions } from './provider/options.js';
export {
  createTokenProvider,
  type GetTokenOptions,
  type TokenProvider,
} from './provider/token-provider.js';
export {
  defaultCacheDir,
  type FileStoreOptions,
  fileStore,
  MAX_CACHE_FILE_BYTES,
  UNTRUSTED_CACHE_DIR_WARNING,
} from './stores/file.js';
export { memoryStore } from './stores/memory.js';
export type { MaybePromise, StoredToken, TokenStore } from './stores/types.js';
export { parseRetryAfter, type RetryOptions } from './toolkit/retry-options.js';
export type { WarningCode, WarningHandler } from './toolkit/warnings.js';
export { USER_AGENT, VERSION } from './version.js';
