import { randomBytes } from 'node:crypto';

/** Path prefix of `nextPage` URLs (go-sdk fixtures: `https://account.lacework.net/api/v2/NextPage/…`). */
export const NEXT_PAGE_PREFIX = '/api/v2/NextPage/';

/** Lacework's `paging` object (go-sdk `V2Pagination`). */
export interface Paging {
  rows: number;
  totalRows: number;
  urls: { nextPage: string | null };
}

/** A paged answer: one page of `data` and where the next one is. */
export interface Page {
  data: unknown[];
  paging: Paging;
}

/** Whose cursor it is: only the same key acting on the same account may read the next page. */
export interface PageOwner {
  keyId: string;
  account: string;
}

interface Cursor extends PageOwner {
  rows: unknown[];
  offset: number;
  expiresAt: number;
  /** The cursor of the page after this one, once made: reading a page twice links the same next. */
  nextId?: string;
}

const MAX_CURSORS = 1000;
const CURSOR_TTL_MS = 3600_000;

/**
 * Splits results into pages of `pageSize` rows. The rows after the first page wait behind an opaque
 * cursor; `nextPage` is a full URL to it, fetched with GET and the usual token, as the SDKs do
 * (go-sdk `api/v2.go` `NextPage`, python-sdk `laceworksdk/api/search_endpoint.py`).
 */
export class PageStore {
  readonly #cursors = new Map<string, Cursor>();

  constructor(readonly pageSize: number) {}

  /** The first page of `rows`; `baseUrl` is where the client reached us (for `nextPage`). */
  first(rows: unknown[], owner: PageOwner, baseUrl: string, now = Date.now()): Page {
    return this.#page({ ...owner, rows, offset: 0, expiresAt: now }, baseUrl, now);
  }

  /** The page behind cursor `id`, or `undefined` when it is unknown, expired or someone else's. */
  next(id: string, owner: PageOwner, baseUrl: string, now = Date.now()): Page | undefined {
    const cursor = this.#cursors.get(id);
    if (!cursor || cursor.expiresAt <= now) return undefined;
    if (cursor.keyId !== owner.keyId || cursor.account !== owner.account) return undefined;
    // Not consumed: a client may fetch the same page again (a retry after a lost answer).
    return this.#page(cursor, baseUrl, now);
  }

  #page(cursor: Cursor, baseUrl: string, now: number): Page {
    const data = cursor.rows.slice(cursor.offset, cursor.offset + this.pageSize);
    const offset = cursor.offset + data.length;
    let nextPage: string | null = null;
    if (offset < cursor.rows.length) {
      const existing = cursor.nextId === undefined ? undefined : this.#cursors.get(cursor.nextId);
      if (existing) existing.expiresAt = now + CURSOR_TTL_MS;
      else {
        cursor.nextId = randomBytes(16).toString('hex');
        this.#cursors.set(cursor.nextId, {
          keyId: cursor.keyId,
          account: cursor.account,
          rows: cursor.rows,
          offset,
          expiresAt: now + CURSOR_TTL_MS,
        });
      }
      for (const [old, c] of this.#cursors) {
        if (this.#cursors.size <= MAX_CURSORS && c.expiresAt > now) break;
        this.#cursors.delete(old);
      }
      nextPage = `${baseUrl}${NEXT_PAGE_PREFIX}${cursor.nextId}`;
    }
    return {
      data,
      paging: { rows: data.length, totalRows: cursor.rows.length, urls: { nextPage } },
    };
  }
}
