import type { KyInstance, Options } from 'ky';
import { BadResponseError, ForeignNextPageError } from '../protocol/errors.js';

/** Options of {@link LaceworkClient.paginate}: ky's request options. */
export type PaginateOptions = Options;

/** The client {@link createLaceworkClient} returns: a ky instance plus `paginate()`. */
export interface LaceworkClient extends KyInstance {
  /**
   * Every item in `data` of every page, fetching the next page (`paging.urls.nextPage`) only when
   * the loop asks for more. The first request is `input` with `options` (POST when `json` or `body`
   * is given, else GET, unless `method` says otherwise); each next page is a GET of `nextPage` with
   * the same token, `Account-Name`/`Org-Access` and `headers`, and only on this client's own origin
   * (a `nextPage` elsewhere fails with `ERR_LW_FOREIGN_NEXT_PAGE`, nothing sent there). An empty
   * search (204) yields nothing. Breaking out of the loop fetches no further page.
   *
   * @throws {LaceworkAuthError} the client's errors; `ERR_LW_BAD_RESPONSE` for a page without a
   *   `data` array or a `nextPage` seen before; `ERR_LW_FOREIGN_NEXT_PAGE`
   * @example
   * ```ts
   * for await (const alert of lacework.paginate<Alert>('Alerts/search', { json: { filters } })) {
   *   console.log(alert.alertId, alert.severity);
   * }
   * ```
   */
  paginate<T = unknown>(input: string | URL, options?: PaginateOptions): AsyncGenerator<T, void>;
  /** ky's `extend()`; the new instance has `paginate()` too. */
  extend(options: Options | ((parentOptions: Options) => Options)): LaceworkClient;
}

/** Adds `paginate()` to `client`, whose requests go to `baseUrl` (`https://acme.lacework.net`). */
export function withPaginate(client: KyInstance, baseUrl: string): LaceworkClient {
  const origin = new URL(baseUrl).origin;
  const prefix = `${baseUrl}/api/v2/`;
  async function* paginate<T>(input: string | URL, options: PaginateOptions = {}) {
    const method =
      options.method ?? (options.json !== undefined || options.body != null ? 'post' : 'get');
    let response = await client(input, { ...options, method });
    let where = `${method.toUpperCase()} ${pathOf(response.url)}`;
    const seen = new Set<string>([response.url]);
    for (;;) {
      // Lacework answers an empty search with 204 and no body (python-sdk http_session.py).
      if (response.status === 204) return;
      const page = await readPage(response, where);
      yield* page.data as T[];
      const next = page.paging?.urls?.nextPage;
      if (next === undefined || next === null || next === '') return;
      if (typeof next !== 'string') {
        throw new BadResponseError(`${where}: \`paging.urls.nextPage\` is not a URL.`, {
          status: response.status,
          url: response.url,
        });
      }
      // Relative nextPage values (seen in go-sdk tests) are paths under /api/v2/.
      const url = new URL(next, prefix);
      if (url.origin !== origin) {
        throw new ForeignNextPageError(
          `The answer to ${where} puts its next page on ${url.origin}, not on ${origin} where this client sends its token, so paginate() stopped there without requesting it. If Lacework moved the account, set \`account\`/\`baseUrl\` to the new address.`,
          { status: response.status, url: response.url },
        );
      }
      if (seen.has(url.href)) {
        throw new BadResponseError(
          `The answer to ${where} links back to a page already read; paginate() stopped to avoid a loop.`,
          { status: response.status, url: response.url },
        );
      }
      seen.add(url.href);
      // Only what was given: an `undefined` option would replace the instance's own in ky.
      const get: Options = {};
      if (options.headers !== undefined) get.headers = withoutBodyHeaders(options.headers);
      if (options.signal != null) get.signal = options.signal;
      if (options.hooks !== undefined) get.hooks = options.hooks;
      response = await client.get(url, get);
      where = `GET ${url.pathname}`;
    }
  }
  const extend = client.extend.bind(client);
  return Object.assign(client, {
    paginate: <T = unknown>(input: string | URL, options?: PaginateOptions) =>
      paginate<T>(input, options),
    extend: (options: Options | ((parentOptions: Options) => Options)) =>
      withPaginate(extend(options), baseUrl),
  });
}

interface PageBody {
  data: unknown[];
  paging?: { urls?: { nextPage?: unknown } } | null;
}

async function readPage(response: Response, where: string): Promise<PageBody> {
  const text = await response.text();
  let body: unknown;
  try {
    body = text === '' ? { data: [] } : JSON.parse(text);
  } catch {
    body = undefined;
  }
  const data = (body as { data?: unknown } | null | undefined)?.data;
  if (!Array.isArray(data)) {
    throw new BadResponseError(
      `The answer to ${where} is not a page of results (a JSON object with a \`data\` array); paginate() works on lists and searches. Read single objects with \`.json()\`.`,
      { status: response.status, url: response.url },
    );
  }
  return body as PageBody;
}

function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
}

/** Request headers for a GET: the caller's, without those describing the first request's body. */
function withoutBodyHeaders(headers: NonNullable<Options['headers']>): Headers {
  const copy = new Headers();
  const entries =
    headers instanceof Headers || Array.isArray(headers)
      ? [...new Headers(headers)]
      : Object.entries(headers as Record<string, string | undefined>);
  for (const [name, value] of entries) if (value !== undefined) copy.set(name, value);
  copy.delete('content-type');
  copy.delete('content-length');
  return copy;
}
