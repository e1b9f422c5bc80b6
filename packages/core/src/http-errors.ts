import { HTTPError, TimeoutError } from 'ky';
import {
  isLaceworkAuthError,
  type LaceworkAuthError,
  NetworkError,
  RequestTimeoutError,
  sanitizeCause,
} from './errors.js';
import { echoesSecret, redactText } from './redact.js';

/** Reads a response body as text, bounded, never throwing. */
export async function readBodyText(response: Response, limit = 64 * 1024): Promise<string> {
  try {
    const text = await response.text();
    return text.length > limit ? text.slice(0, limit) : text;
  } catch {
    return '';
  }
}

/**
 * The server's explanation from a Lacework error body (`{"message": "..."}` and the variants the
 * Go SDK reads), redacted, then shortened; replaced by {@link ECHO_WITHHELD} when it contains 8+
 * characters of a secret or token (any case). Empty when the body has none (e.g. an HTML page).
 */
export function serverMessage(body: string, redact: readonly (string | undefined)[] = []): string {
  let message = '';
  try {
    const json = JSON.parse(body) as Record<string, unknown>;
    const data = (json?.data ?? {}) as Record<string, unknown>;
    const candidates = [data.ErrorMsg, data.message, json.message, data.statusMessage];
    const found = candidates.find(
      (value): value is string => typeof value === 'string' && value !== '' && value !== 'SUCCESS',
    );
    message = found ?? '';
  } catch {
    message = '';
  }
  // biome-ignore lint/suspicious/noControlCharactersInRegex: strip control characters from server text
  message = message.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  // A server that quotes any piece of the secret or token (cut, upper-cased, half of it) may
  // quote the rest in a way no redaction recognises: drop its text altogether.
  if (echoesSecret(message, redact)) return ECHO_WITHHELD;
  // Redact before shortening: a value cut in half by the limit would no longer match.
  // Whatever a server quotes after "Bearer" is a token, ours or not.
  message = redactText(message, redact).replace(/(bearer\s+)[^\s"',;]+/gi, '$1[REDACTED]');
  return message.length > 300 ? `${message.slice(0, 300)}…` : message;
}

/** Replaces a server message that echoed part of a secret or token. */
export const ECHO_WITHHELD = '[server message withheld: it echoed part of the secret or token]';

/** True when a body looks like an HTML page rather than JSON. */
export function looksLikeHtml(body: string, contentType: string | null): boolean {
  return (
    /text\/html/i.test(contentType ?? '') || /^\s*<(!doctype|html|head|body|\?xml)/i.test(body)
  );
}

/**
 * Converts a transport failure (ky timeout, fetch network error) into a typed error, without the
 * request object (its headers hold the secret or token).
 */
export function transportError(
  error: unknown,
  context: { method: string; url: string; timeout: number; what: string },
  redact: readonly (string | undefined)[],
): LaceworkAuthError | undefined {
  const values = redact.filter((value): value is string => typeof value === 'string');
  if (error instanceof TimeoutError || (error instanceof Error && error.name === 'TimeoutError')) {
    return new RequestTimeoutError(
      `${context.what} timed out after ${context.timeout} ms (${context.method} ${context.url}). Lacework or the network is slow; raise \`timeout\` or try again.`,
      { method: context.method, url: context.url },
    );
  }
  if (error instanceof HTTPError || isLaceworkAuthError(error)) return undefined;
  if (error instanceof Error) {
    // fetch reports network failures as TypeError("fetch failed") with a system error as cause;
    // anything else a custom fetch throws is reported the same way, sanitized.
    const code = systemCode(error);
    return new NetworkError(
      `${context.what} could not reach ${new URL(context.url).host}${code ? ` (${code})` : ''}: ${redactText(rootMessage(error), values)}. Check the account or base URL, your network and proxy settings.`,
      { method: context.method, url: context.url, cause: sanitizeCause(error, values) },
    );
  }
  return new NetworkError(
    `${context.what} failed (${typeof error}). Check the account or base URL and your \`fetch\`.`,
    { method: context.method, url: context.url },
  );
}

function systemCode(error: Error): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current instanceof Error; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = current.cause;
  }
  return undefined;
}

function rootMessage(error: Error): string {
  let current: Error = error;
  for (let depth = 0; depth < 4 && current.cause instanceof Error; depth++) current = current.cause;
  return current.message;
}
