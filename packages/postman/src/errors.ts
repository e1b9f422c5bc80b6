import { LaceworkAuthError } from '@lacework-auth/core';

/** @internal A bad option or input, thrown synchronously when a function is called. */
export function invalidOption(message: string): LaceworkAuthError {
  return new LaceworkAuthError('ERR_LW_INVALID_OPTION', message);
}
