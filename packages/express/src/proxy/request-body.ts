import type { ClientRequest, IncomingMessage } from 'node:http';

/** Thrown into the upstream request when the client's body grows past `maxBodySize`. */
export class BodyTooLargeError extends Error {
  override name = 'BodyTooLargeError';
}

/**
 * Streams a client's request body to the upstream request chunk by chunk (with backpressure),
 * counting bytes against `maxBodySize` and keeping a copy while it stays within `replayLimit`,
 * so that a request refused with 401/403 can be sent again with a fresh token. Bodies larger
 * than `replayLimit` are streamed but not kept, and cannot be replayed.
 */
export class RequestBody {
  /** True once more than `maxBodySize` bytes arrived. */
  tooLarge = false;
  private chunks: Buffer[] | undefined = [];
  private size = 0;
  private complete = false;
  private readonly finished: Promise<void>;
  private settle!: () => void;

  constructor(
    private readonly req: IncomingMessage,
    private readonly maxBodySize: number,
    private readonly replayLimit: number,
    /** The declared `Content-Length`, when there is one; `undefined` for chunked bodies. */
    private readonly expected?: number,
  ) {
    this.finished = new Promise((resolve) => {
      this.settle = resolve;
    });
  }

  /** Starts streaming the body into `upstream`; call once, for the first attempt. */
  pipeTo(upstream: ClientRequest): void {
    const { req } = this;
    const resume = () => req.resume();
    const onData = (chunk: Buffer) => {
      this.size += chunk.length;
      if (this.size > this.maxBodySize) {
        this.tooLarge = true;
        this.chunks = undefined;
        req.off('data', onData);
        req.pause();
        upstream.destroy(new BodyTooLargeError('The request body is larger than `maxBodySize`.'));
        this.settle();
        return;
      }
      if (this.chunks !== undefined) {
        if (this.size <= this.replayLimit) this.chunks.push(chunk);
        else this.chunks = undefined;
      }
      if (!upstream.destroyed && !upstream.write(chunk)) {
        req.pause();
        upstream.once('drain', resume);
      }
    };
    req.on('data', onData);
    req.once('end', () => {
      // Node's parser ends a request only after its declared length; checked anyway, because an
      // upstream request ended short of its Content-Length would wait for bytes from the next one.
      const short = this.expected !== undefined && this.size !== this.expected;
      this.complete = !this.tooLarge && !short;
      if (short) upstream.destroy();
      else if (!upstream.destroyed) upstream.end();
      this.settle();
    });
    // The client went away (or the socket broke) before the body ended.
    req.once('close', () => {
      if (!this.complete && !upstream.destroyed) upstream.destroy();
      this.settle();
    });
    // If the upstream answered and closed early, keep draining the client so `end` still comes.
    upstream.once('close', resume);
  }

  /**
   * Resolves once the body has been read: `true` with the whole body kept (it can be sent again),
   * `false` when it was too large to keep, too large to accept, or cut short.
   */
  async replayable(): Promise<boolean> {
    await this.finished;
    return this.complete && this.chunks !== undefined;
  }

  /** The kept body, for a replay. Only meaningful after {@link replayable} resolved `true`. */
  buffer(): Buffer {
    return Buffer.concat(this.chunks ?? []);
  }
}
