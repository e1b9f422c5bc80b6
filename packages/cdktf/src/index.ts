export { LaceworkAccessToken, LaceworkKeyVariables } from './cdktf-constructs.js';
export { HTTP_PROVIDER_SOURCE, HTTP_PROVIDER_VERSION } from './http-provider.js';
export type { LaceworkKeyVariablesConfig } from './key-variables.js';
export {
  DEFAULT_REQUEST_TIMEOUT_MS,
  DEFAULT_RETRY,
  type DependableRef,
  type HttpProviderRef,
  type LaceworkAccessTokenConfig,
  type LaceworkRetryConfig,
} from './options.js';
