export type { Emulator } from './emulator.js';
export type { Fault } from './faults.js';
export type { EmulatorKey, EmulatorKeyInput } from './keys.js';
export type { EmulatorOptions } from './options.js';
export { ECHO_PREFIX, TOKEN_PATH } from './paths.js';
export type { RateLimitOptions } from './rate-limit.js';
export { DEFAULT_EXPIRY_TIME, MAX_EXPIRY_TIME } from './routes/tokens.js';
export { startEmulator } from './server.js';
export { type EmulatorStats, REDACTED, type RequestLogEntry } from './stats.js';
