import { echoesSecret, redactText } from './redact.js';

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
