import { HTTPError, TimeoutError } from 'ky';
import {
  isLaceworkAuthError,
  type LaceworkAuthError,
  NetworkError,
  RequestTimeoutError,
  sanitizeCause,
} from '../protocol/errors.js';
import { redactText } from '../protocol/redact.js';

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
