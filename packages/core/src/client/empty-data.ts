import type { AfterResponseHook } from 'ky';
import { isSearch } from '../protocol/api.js';

/**
 * ky `afterResponse` hook behind the client's `emptyData` option: Lacework answers a search that
 * matches nothing with 204 and no body (python-sdk `laceworksdk/http_session.py` and go-sdk
 * `api/http.go` both special-case it), where ky's `.json()` would give `''`. A 204 to a GET or to a
 * `POST …/search` becomes 200 `{"data": []}`, so `(await res.json()).data` is an empty list.
 */
export const emptyDataOn204: AfterResponseHook = (request, _options, response) => {
  if (response.status !== 204) return;
  const method = request.method.toUpperCase();
  if (method !== 'GET' && !isSearch(method, new URL(request.url).pathname)) return;
  const headers = new Headers(response.headers);
  headers.set('content-type', 'application/json');
  headers.delete('content-length');
  const empty = new Response('{"data":[]}', { status: 200, statusText: 'OK', headers });
  // A constructed Response has no URL; ky and callers may read it.
  Object.defineProperty(empty, 'url', { value: response.url });
  return empty;
};
