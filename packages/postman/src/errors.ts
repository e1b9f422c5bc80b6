import { InvalidOptionError } from '@lacework-auth/core';

/** @internal A bad option or input (`option`: the setting at fault), thrown synchronously. */
export function invalidOption(message: string, option: string): InvalidOptionError {
  return new InvalidOptionError(message, { option });
}
