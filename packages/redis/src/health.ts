/**
 * Whether Redis answers, with one warning when it stops and one when it is back. While it is
 * down, commands are not sent at all (callers fall back at once) except one probe every `retryMs`.
 */
export class Health {
  #down = false;
  #retryAt = 0;
  #probe: NodeJS.Timeout | undefined;
  readonly #retryMs: number;
  readonly #warn: (message: string) => void;
  readonly #ping: () => Promise<unknown>;
  readonly #onRecovered: () => void;

  constructor(options: {
    retryMs: number;
    warn: (message: string) => void;
    ping: () => Promise<unknown>;
    onRecovered: () => void;
  }) {
    this.#retryMs = options.retryMs;
    this.#warn = options.warn;
    this.#ping = options.ping;
    this.#onRecovered = options.onRecovered;
  }

  /** False while Redis is down and the next try is not due. */
  get usable(): boolean {
    return !this.#down || Date.now() >= this.#retryAt;
  }

  get down(): boolean {
    return this.#down;
  }

  succeeded(): void {
    if (!this.#down) return;
    this.#down = false;
    clearInterval(this.#probe);
    this.#probe = undefined;
    this.#warn('lacework-auth: the Redis token store answers again; tokens are shared again.');
    this.#onRecovered();
  }

  failed(command: string, error: unknown): void {
    this.#retryAt = Date.now() + this.#retryMs;
    if (this.#down) return;
    this.#down = true;
    this.#warn(
      `lacework-auth: the Redis token store is unavailable (${command}: ${reason(error)}); each process caches its own token until Redis answers again.`,
    );
    // Without traffic, recovery would go unnoticed: probe in the background.
    this.#probe = setInterval(() => {
      if (this.usable) void this.#ping().catch(() => undefined);
    }, this.#retryMs);
    this.#probe.unref();
  }

  stop(): void {
    clearInterval(this.#probe);
  }
}

/** A short, secret-free reason: a Redis error code (NOPERM, WRONGPASS…), a system code, or a name. */
export function reason(error: unknown): string {
  if (error instanceof CommandTimeoutError) {
    return error.waiting ? 'not connected' : `no answer within ${error.ms} ms`;
  }
  const record = (error ?? {}) as { code?: unknown; message?: unknown; name?: unknown };
  if (typeof record.code === 'string' && /^[A-Z0-9_]{2,40}$/.test(record.code)) return record.code;
  const message = typeof record.message === 'string' ? record.message : '';
  // Redis error replies start with an upper-case code: "NOPERM User … has no permissions …".
  const code = /^([A-Z][A-Z0-9_]{1,39})\b/.exec(message)?.[1];
  if (code && code !== 'ERR') return code;
  if (/offline|closed|writeable|connection/i.test(message)) return 'not connected';
  return typeof record.name === 'string' && record.name !== 'Error' ? record.name : 'error';
}

export class CommandTimeoutError extends Error {
  override name = 'CommandTimeoutError';
  constructor(
    readonly ms: number,
    /** True when the command never left: the connection was not ready in time. */
    readonly waiting = false,
  ) {
    super(`no answer from Redis within ${ms} ms`);
  }
}
