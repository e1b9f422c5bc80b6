export { isLoopbackHost, type ResolveBaseUrlOptions, resolveBaseUrl } from './base-url.js';
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
export { cacheKey } from './cache-key.js';
export { canonicalPath, canonicalRoute } from './canonical-route.js';
export { createLaceworkClient, type LaceworkClientOptions } from './client.js';
export { DEFAULT_EXPIRY_TIME, MAX_EXPIRY_TIME, refreshWindowMs, TOKEN_PATH } from './constants.js';
export {
  type ChainSetting,
  type CredentialChain,
  type CredentialChainOptions,
  type CredentialField,
  chainCredentials,
  chainSettings,
  explainChain,
  readCredentialChain,
} from './credential-chain.js';
export {
  type Credentials,
  type ResolveCredentialsOptions,
  type ResolvedCredentials,
  resolveCredentials,
} from './credentials.js';
export { emptyDataOn204 } from './empty-data.js';
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
} from './errors.js';
export {
  type AccessToken,
  type ExchangeRequest,
  type ExchangeResult,
  exchangeKey,
} from './exchange.js';
export { EXIT_CODES, exitCodeFor } from './exit-codes.js';
export { type ReadKeyFileOptions, readKeyFile } from './key-file.js';
export type { LaceworkClient, PaginateOptions } from './paginate.js';
export type { WarningHandler } from './permissions.js';
export type { TokenProviderOptions } from './provider-options.js';
export { SAFE_INPUT, showInput } from './redact.js';
export { parseRetryAfter, type RetryOptions } from './retry-policy.js';
export {
  defaultCacheDir,
  type FileStoreOptions,
  fileStore,
  MAX_CACHE_FILE_BYTES,
  UNTRUSTED_CACHE_DIR_WARNING,
} from './stores/file.js';
export { memoryStore } from './stores/memory.js';
export type { MaybePromise, StoredToken, TokenStore } from './stores/types.js';
export {
  createTokenProvider,
  type GetTokenOptions,
  type TokenProvider,
} from './token-provider.js';
export {
  PERMISSION_COOLDOWN_MS,
  type TokenRefusals,
  tokenRefusalsFor,
} from './token-refusals.js';
export { validateExpiryTime } from './validate.js';
export { USER_AGENT, VERSION } from './version.js';
