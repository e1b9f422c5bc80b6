// Statuses whose responses cannot carry a body (`new Response(body, …)` refuses them).
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

/**
 * `response` with its body tied to `signals`: when one aborts before the body is fully read, the
 * transfer is cancelled through our own reader and the read fails with `abortError(signal)`.
 *
 * Aborting the request's signal is not enough: ky 1.14 hands fetch a signal made with
 * `AbortSignal.any()`, and Node 20's fetch follows it only weakly, so after a garbage collection
 * the abort can reach nobody and a body that stalls mid-way waits for undici's own 300 s timeout.
 * Cancelling the reader we hold stops the transfer whatever fetch kept. `onSettled` runs once the
 * body is read, cancelled, failed or aborted.
 */
export function bindBodyToSignal(
  response: Response,
  signals: readonly AbortSignal[],
  abortError: (signal: AbortSignal) => Error,
  onSettled: () => void = () => undefined,
): Response {
  const source = response.body;
  if (source === null || NULL_BODY_STATUSES.has(response.status)) {
    onSettled();
    return response;
  }
  const reader = source.getReader();
  let settled = false;
  let abortedBy: AbortSignal | undefined;
  const listeners = signals.map((signal) => {
    const listener = () => {
      if (abortedBy) return;
      abortedBy = signal;
      reader.cancel(abortError(signal)).catch(() => undefined);
      settle();
    };
    return { signal, listener };
  });
  function settle() {
    if (settled) return;
    settled = true;
    for (const { signal, listener } of listeners) signal.removeEventListener('abort', listener);
    onSettled();
  }
  for (const { signal, listener } of listeners) {
    if (signal.aborted) listener();
    else if (!settled) signal.addEventListener('abort', listener, { once: true });
  }
  const body = new ReadableStream<Uint8Array>({
    async pull(stream) {
      try {
        const chunk = await reader.read();
        // A read cut short by the abort ends as `done`: that is a truncated body, not the end.
        if (abortedBy) stream.error(abortError(abortedBy));
        else if (chunk.done) {
          settle();
          stream.close();
        } else {
          stream.enqueue(chunk.value);
        }
      } catch (error) {
        settle();
        stream.error(abortedBy ? abortError(abortedBy) : error);
      }
    },
    cancel(reason) {
      settle();
      return reader.cancel(reason);
    },
  });
  const bound = new Response(body, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
  // A constructed Response has no URL; ky and callers may read it.
  Object.defineProperty(bound, 'url', { value: response.url });
  if (response.redirected) Object.defineProperty(bound, 'redirected', { value: true });
  return bound;
}
