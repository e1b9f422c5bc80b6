export { ECHO_PREFIX, TOKEN_PATH } from './dispatch.js';
export type { Fault } from './faults.js';
export type { EmulatorKey, EmulatorKeyInput } from './keys.js';
export type { EmulatorOptions } from './options.js';
export type { RateLimitOptions } from './rate-limit.js';
export { DEFAULT_EXPIRY_TIME, MAX_EXPIRY_TIME } from './routes/tokens.js';
export type { Emulator } from './server.js';
export { startEmulator } from './server.js';
export { type EmulatorStats, REDACTED, type RequestLogEntry } from './stats.js';
