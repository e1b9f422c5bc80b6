import type { Fault } from './faults.js';
import type { EmulatorKey, EmulatorKeyInput } from './keys.js';
import type { EmulatorStats, RequestLogEntry } from './stats.js';

/** A running emulator. */
export interface Emulator {
  /** Base URL, e.g. `http://127.0.0.1:41234`; the token endpoint is `${url}/api/v2/access/tokens`. */
  readonly url: string;
  readonly port: number;
  /** Keys it accepts; `keys[0]` is ready to use. */
  readonly keys: EmulatorKey[];
  /** Counters since start or `resetStats()`. */
  stats(): EmulatorStats;
  /** Requests since start or `resetStats()` (last 10,000), secrets and tokens redacted. */
  requests(): RequestLogEntry[];
  /** Zeroes the counters and empties the request log. */
  resetStats(): void;
  /** Zeroes every rate-limit window. */
  resetRateLimit(): void;
  /** Applies a fault to the next `fault.times` (default 1) matching requests. */
  inject(fault: Fault): void;
  /** Drops faults not yet used. */
  clearFaults(): void;
  /** Invalidates every issued token (or those of one key); returns how many. */
  revokeTokens(keyId?: string): number;
  /** Whether this emulator issued `token` (even if it has since expired or been revoked). */
  isIssuedToken(token: string): boolean;
  /** Adds a key (e.g. for key-rotation tests); missing fields are generated. */
  addKey(key?: EmulatorKeyInput): EmulatorKey;
  /** Removes a key: its secret stops working and its tokens are revoked. */
  removeKey(keyId: string): boolean;
  /** Stops listening and destroys open connections (keep-alive included). */
  close(): Promise<void>;
}
