import type { ServerResponse } from 'node:http';

/** Codes the proxy answers with besides core's `ERR_LW_*` codes. */
export type ProxyErrorCode =
  | 'ERR_LW_PROXY_BAD_REQUEST'
  | 'ERR_LW_PROXY_FORBIDDEN'
  | 'ERR_LW_PROXY_METHOD_NOT_ALLOWED'
  | 'ERR_LW_PROXY_BODY_TOO_LARGE'
  | 'ERR_LW_PROXY_BODY_CONSUMED';

/**
 * Answers `{ "error": { "code", "message" } }` with `status`. When the response already started
 * (a failure while streaming), the only honest signal left is to cut the connection.
 */
export function sendJsonError(
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  headers?: Record<string, string>,
): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = JSON.stringify({ error: { code, message } });
  // Headers set earlier by other middleware (CORS, security headers) are kept; anything an
  // upstream response might have added is not, because no upstream header was written yet.
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  if (headers) for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.end(body);
}
