/**
 * A bad emulator option, key or fault. It has the `code` and `option` of core's
 * `InvalidOptionError`, so one check (`err.code === 'ERR_LW_INVALID_OPTION'`, `err.option`)
 * serves every lacework-auth package. The emulator keeps its own class because it depends on
 * nothing of ours: core's tests run against it, and it models Lacework independently of core.
 * It extends `TypeError`, which is what the emulator threw before.
 */
export class InvalidOptionError extends TypeError {
  override name = 'InvalidOptionError';
  readonly code = 'ERR_LW_INVALID_OPTION';
  /**
   * The setting at fault as the message names it (`port`, `rateLimit.limit`, `keys[0].secret`,
   * `fault.status`); `undefined` when the options as a whole are not an object.
   */
  readonly option: string | undefined;

  constructor(option: string | undefined, message: string) {
    super(message);
    this.option = option;
  }
}
