/**
 * One attempt's deadline: a timer that covers the response headers and the body, the signal to
 * give fetch, and the body reader it cancels.
 *
 * Aborting the signal fetch got is not enough to stop a body: Node 20's fetch follows it only
 * through a weak reference, so after a garbage collection the abort can reach nobody, and a body
 * that stalls mid-way waits for undici's own 300 s timeout. The body is therefore read through a
 * reader we hold ({@link readBody}, {@link bindBody}), and the deadline cancels that reader, which
 * stops the transfer whatever fetch kept.
 */
const ONCE = { once: true };

export class Deadline {
  readonly #controller = new AbortController();
  readonly #timer: ReturnType<typeof setTimeout>;
  readonly #caller: AbortSignal | null | undefined;
  #timedOut = false;
  #stopped = false;
  #reader: ReadableStreamDefaultReader<Uint8Array> | undefined;

  /** Starts the deadline: `ms` from now; `caller` (the caller's own signal) cuts it short too. */
  constructor(ms: number, caller?: AbortSignal | null) {
    this.#timer = setTimeout(() => {
      this.#timedOut = true;
      this.#cut(undefined);
    }, ms);
    this.#caller = caller;
    // The deadline itself listens (handleEvent): no closure per deadline. Not removed in stop():
    // the caller's signal is ky's, made for this one request, and goes with it; a late abort
    // after stop() finds nothing left to cut.
    caller?.addEventListener('abort', this, ONCE);
  }

  /** The caller's abort (the deadline is its own listener). */
  handleEvent(): void {
    this.#cut(this.#caller?.reason);
  }

  /** The signal for fetch. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** The caller's signal the deadline follows. */
  get caller(): AbortSignal | null | undefined {
    return this.#caller;
  }

  /** True once the timer ran out. */
  get timedOut(): boolean {
    return this.#timedOut;
  }

  /** True once the timer ran out or the caller aborted: a body read now is cut short. */
  get cut(): boolean {
    return this.#controller.signal.aborted;
  }

  /** The reader the body is read through: cancelled when the deadline is cut. */
  watch(reader: ReadableStreamDefaultReader<Uint8Array>): void {
    this.#reader = reader;
    if (this.cut) reader.cancel().catch(() => undefined);
  }

  /** Lets the timer run without keeping the process alive (a body nobody reads). */
  unref(): void {
    this.#timer.unref?.();
  }

  /** Stops the timer and the caller's listener: the attempt is over. */
  stop(): void {
    clearTimeout(this.#timer);
    this.#stopped = true;
  }

  #cut(reason: unknown): void {
    if (this.cut || this.#stopped) return;
    this.#controller.abort(reason);
    this.#reader?.cancel(reason).catch(() => undefined);
  }
}

// Undici's own getter: the stream behind a response, also after `body` is shadowed on it.
const nativeBody = Object.getOwnPropertyDescriptor(Response.prototype, 'body')?.get as (
  this: Response,
) => ReadableStream<Uint8Array> | null;

/** Where a bound body's error comes from when its deadline cuts the read short. */
export interface CutSource {
  /** The error a read cut short by `deadline` fails with (a timeout, or the caller's reason). */
  cutError(deadline: Deadline): unknown;
}

/**
 * The whole body of `response`, read through a reader `deadline` cancels. When the deadline cuts
 * the read (a stalled body), it fails with `cutError()`; the deadline is stopped once the read
 * ends either way.
 */
export function readBody(
  response: Response,
  deadline: Deadline,
  cutError: () => unknown,
): Promise<Uint8Array> {
  return readWithin(response, deadline, { cutError: () => cutError() });
}

/** {@link readBody} with the cut error from `source` (no closure per read). */
async function readWithin(
  response: Response,
  deadline: Deadline,
  source: CutSource,
): Promise<Uint8Array> {
  try {
    const stream = nativeBody.call(response);
    if (stream === null) return new Uint8Array(0);
    const reader = stream.getReader();
    deadline.watch(reader);
    const chunks: Uint8Array[] = [];
    let length = 0;
    for (;;) {
      let chunk: Awaited<ReturnType<typeof reader.read>>;
      try {
        chunk = await reader.read();
      } catch (error) {
        throw deadline.cut ? source.cutError(deadline) : error;
      }
      // A read cut short by the cancel ends as `done`: that is a truncated body, not the end.
      if (deadline.cut) throw source.cutError(deadline);
      if (chunk.done) break;
      chunks.push(chunk.value);
      length += chunk.value.byteLength;
    }
    if (chunks.length === 1) return chunks[0] as Uint8Array;
    const bytes = new Uint8Array(length);
    let offset = 0;
    for (const chunk of chunks) {
      bytes.set(chunk, offset);
      offset += chunk.byteLength;
    }
    return bytes;
  } finally {
    deadline.stop();
  }
}

const utf8 = new TextDecoder();
const BOUND = Symbol('lacework-auth body deadline');

interface Bound {
  deadline: Deadline;
  source: CutSource;
  stream?: ReadableStream<Uint8Array> | null;
}

type BoundResponse = Response & { [BOUND]: Bound };

function read(response: BoundResponse): Promise<Uint8Array> {
  const bound = response[BOUND];
  return readWithin(response, bound.deadline, bound.source);
}

// One set of functions for every bound response (they find their state on `this`): binding a
// response allocates no closures.
const BODY_METHODS = {
  bytes(this: BoundResponse) {
    return read(this);
  },
  arrayBuffer(this: BoundResponse) {
    return read(this).then(toArrayBuffer);
  },
  text(this: BoundResponse) {
    return read(this).then((bytes) => utf8.decode(bytes));
  },
  json(this: BoundResponse) {
    return read(this).then((bytes) => JSON.parse(utf8.decode(bytes)));
  },
  blob(this: BoundResponse) {
    const type = this.headers.get('content-type') ?? '';
    return read(this).then((bytes) => new Blob([bytes], { type }));
  },
  formData(this: BoundResponse) {
    const type = this.headers.get('content-type') ?? '';
    return read(this).then((bytes) =>
      new Response(bytes, { headers: { 'content-type': type } }).formData(),
    );
  },
};

const BODY_GETTER: PropertyDescriptor = {
  configurable: true,
  get(this: BoundResponse) {
    const bound = this[BOUND];
    if (bound.stream === undefined) bound.stream = boundStream(this, bound.deadline, bound.source);
    return bound.stream;
  },
};

/**
 * Makes `response` read its body within `deadline`: `text()`, `json()`, `arrayBuffer()`, `bytes()`,
 * `blob()` and `formData()` read it through {@link readBody} (cut short with `source.cutError(deadline)`), and
 * `body`, for a caller that streams it, is a stream fed from that same reader. The response goes out
 * as fetch made it: the body is neither copied nor re-streamed on the usual path (`.json()`).
 */
export function bindBody(response: Response, deadline: Deadline, source: CutSource): void {
  (response as BoundResponse)[BOUND] = { deadline, source };
  Object.assign(response, BODY_METHODS);
  Object.defineProperty(response, 'body', BODY_GETTER);
}

function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength
    ? (bytes.buffer as ArrayBuffer)
    : (bytes.slice().buffer as ArrayBuffer);
}

/** For a caller that streams the body: the body, fed from a reader `deadline` cancels. */
function boundStream(
  response: Response,
  deadline: Deadline,
  source: CutSource,
): ReadableStream<Uint8Array> | null {
  const native = nativeBody.call(response);
  if (native === null) {
    deadline.stop();
    return null;
  }
  const reader = native.getReader();
  deadline.watch(reader);
  return new ReadableStream<Uint8Array>({
    async pull(stream) {
      try {
        const chunk = await reader.read();
        if (deadline.cut) {
          deadline.stop();
          stream.error(source.cutError(deadline));
        } else if (chunk.done) {
          deadline.stop();
          stream.close();
        } else {
          stream.enqueue(chunk.value);
        }
      } catch (error) {
        deadline.stop();
        stream.error(deadline.cut ? source.cutError(deadline) : error);
      }
    },
    cancel(reason) {
      deadline.stop();
      return reader.cancel(reason);
    },
  });
}
