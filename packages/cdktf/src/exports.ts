// What both entry points export besides their constructs (index.ts: cdktf, cdktn.ts: CDK Terrain).
export { HTTP_PROVIDER_SOURCE, HTTP_PROVIDER_VERSION } from './http-provider.js';
export type { LaceworkKeyVariablesConfig } from './key-variables.js';
export {
  DEFAULT_REQUEST_TIMEOUT_MS,
  DEFAULT_RETRY,
  DEFAULT_TIMEOUT,
  type DependableRef,
  type HttpProviderRef,
  type LaceworkAccessTokenConfig,
  type LaceworkRetryConfig,
  type LaceworkTokenMode,
  TOKEN_MODES,
} from './options.js';
export { PROVIDER_SOURCE, PROVIDER_VERSION } from './provider/address.js';
export { PROVIDER_TYPE, TOKEN_TYPE } from './provider/schema.js';
