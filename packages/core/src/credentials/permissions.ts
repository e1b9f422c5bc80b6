import { statSync } from 'node:fs';
import { isShown, SAFE_INPUT, showInput } from '../protocol/redact.js';
import type { WarningHandler } from '../toolkit/warnings.js';

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
