export { type LaceworkAuthOptions, laceworkAuth, requireLacework } from './auth.js';
export { type LaceworkErrorHandlerOptions, laceworkErrorHandler } from './error-handler.js';
export type { LaceworkErrorHook, LaceworkLogger } from './failure-log.js';
export { gatewayStatus, LaceworkGatewayError } from './gateway-error.js';
export type { ProviderOptions } from './options.js';
export { type AllowDecision, type AllowRule, DEFAULT_ALLOW } from './proxy/allow-list.js';
export {
  DEFAULT_FORWARDED_HEADERS,
  HOP_BY_HOP_HEADERS,
  NEVER_FORWARDED_HEADERS,
  NEVER_FORWARDED_PREFIXES,
  ORIGIN_POLICY_HEADERS,
  RELAYED_RESPONSE_HEADERS,
} from './proxy/headers.js';
export type { LaceworkProxyHooks } from './proxy/hooks.js';
export { type ProxyTarget, parseProxyTarget } from './proxy/path.js';
export { type LaceworkProxyOptions, laceworkProxy } from './proxy/proxy.js';
export type { RateLimitStatus } from './rate-limit-status.js';
export type { LaceworkRequestContext } from './request-context.js';
export type { LaceworkClient } from './shared-provider.js';
