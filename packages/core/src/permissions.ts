import { statSync } from 'node:fs';
import { isShown, SAFE_INPUT, showInput } from './protocol/redact.js';

/**
 * The codes of lacework-auth's warnings, one per kind, as `process.emitWarning` shows them:
 * `LW_INSECURE_PERMISSIONS` (a key file or config readable by others), `LW_CLOCK_SKEW` (this
 * machine's clock ahead of Lacework's), `LW_TOKEN_STORE` (a token store failed and was bypassed),
 * `LW_UNTRUSTED_CACHE_DIR` (a cache directory others control, not used).
 */
export const WARNING_CODES = [
  'LW_INSECURE_PERMISSIONS',
  'LW_CLOCK_SKEW',
  'LW_TOKEN_STORE',
  'LW_UNTRUSTED_CACHE_DIR',
] as const;

/** The code of a warning (see {@link WARNING_CODES}). */
export type WarningCode = (typeof WARNING_CODES)[number];

/** Receives warnings such as "key file readable by other users", with their code. */
export type WarningHandler = (message: string, code: WarningCode) => void;

/** The default {@link WarningHandler}: `process.emitWarning` with the warning's code. */
export const defaultWarningHandler: WarningHandler = (message, code) => {
  process.emitWarning(message, { code });
};

/**
 * Like ssh, warn when a file holding a secret can be read by group or others. The file is still
 * used: refusing would break CI images that copy files with default permissions.
 */
export function warnIfExposed(path: string, what: string, onWarning: WarningHandler): void {
  if (process.platform === 'win32') return;
  let mode: number;
  try {
    mode = statSync(path).mode;
  } catch {
    return;
  }
  if ((mode & 0o077) !== 0) {
    const octal = (mode & 0o777).toString(8).padStart(4, '0');
    const shown = showInput(path, SAFE_INPUT.path, 'bare');
    const fix = isShown(path, SAFE_INPUT.path) ? `chmod 600 '${path}'` : 'chmod 600 on it';
    onWarning(
      `${what} ${shown} is accessible by other users (mode ${octal}) and holds an API secret. Run: ${fix}`,
      'LW_INSECURE_PERMISSIONS',
    );
  }
}
