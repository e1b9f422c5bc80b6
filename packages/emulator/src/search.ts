/**
 * The filter expressions Lacework's search endpoints take (python-sdk
 * `laceworksdk/api/search_endpoint.py`; their meaning: go-sdk `cli/cmd/cli_state.go`).
 */
export const FILTER_EXPRESSIONS = [
  'eq',
  'ne',
  'in',
  'not_in',
  'like',
  'ilike',
  'not_like',
  'not_ilike',
  'rlike',
  'not_rlike',
  'gt',
  'ge',
  'lt',
  'le',
  'between',
] as const;

type Expression = (typeof FILTER_EXPRESSIONS)[number];

/** Longest time window one search may cover (go-sdk `V2ApiMaxSearchWindowDays`). */
export const MAX_WINDOW_DAYS = 7;
/** How far back a search may start (go-sdk `V2ApiMaxSearchHistoryDays`). */
export const MAX_HISTORY_DAYS = 92;

const DAY = 86_400_000;

/** A compiled filter: does a row's field value pass? */
export interface Filter {
  field: string;
  test: (value: unknown) => boolean;
}

/** A validated search body. */
export interface Search {
  start: number;
  end: number;
  filters: Filter[];
  returns: string[] | undefined;
}

/**
 * Checks a time window as the API does: start not after end, at most 7 days long, starting at
 * most 92 days back. Returns an error message, or `undefined` when the window is fine.
 */
export function windowError(
  start: number,
  end: number,
  now: number,
  where = '',
): string | undefined {
  if (start > end) return `${where}startTime must not be after ${where}endTime.`;
  if (end - start > MAX_WINDOW_DAYS * DAY) {
    return `The time window from ${where}startTime to ${where}endTime is longer than ${MAX_WINDOW_DAYS} days; search at most ${MAX_WINDOW_DAYS} days at a time.`;
  }
  if (start < now - MAX_HISTORY_DAYS * DAY) {
    return `${where}startTime is more than ${MAX_HISTORY_DAYS} days ago; data can be searched back ${MAX_HISTORY_DAYS} days at most.`;
  }
  return undefined;
}

/** Parses `startTime`/`endTime` (ISO 8601); missing ones default to the last 24 hours. */
export function parseWindow(
  startTime: unknown,
  endTime: unknown,
  now: number,
  where: string,
): { start: number; end: number } | { error: string } {
  const parse = (v: unknown) => (typeof v === 'string' ? Date.parse(v) : Number.NaN);
  const end = endTime === undefined ? now : parse(endTime);
  const start = startTime === undefined ? end - DAY : parse(startTime);
  if (Number.isNaN(start) || Number.isNaN(end)) {
    return { error: `${where}startTime and ${where}endTime must be ISO 8601 dates.` };
  }
  const error = windowError(start, end, now, where);
  return error ? { error } : { start, end };
}

/** Validates a search body `{timeFilter?, filters?, returns?}`; returns an error or the search. */
export function parseSearch(body: unknown, now: number): Search | { error: string } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { error: 'Request body must be a JSON object.' };
  }
  const { timeFilter, filters, returns } = body as Record<string, unknown>;
  if (timeFilter !== undefined && (typeof timeFilter !== 'object' || timeFilter === null)) {
    return { error: 'timeFilter must be an object with startTime and endTime.' };
  }
  const t = (timeFilter ?? {}) as Record<string, unknown>;
  const window = parseWindow(t.startTime, t.endTime, now, 'timeFilter.');
  if ('error' in window) return window;
  if (filters !== undefined && !Array.isArray(filters)) {
    return { error: 'filters must be an array.' };
  }
  const compiled: Filter[] = [];
  for (const [i, f] of ((filters ?? []) as unknown[]).entries()) {
    const filter = compileFilter(f, `filters[${i}]`);
    if ('error' in filter) return filter;
    compiled.push(filter);
  }
  if (
    returns !== undefined &&
    !(Array.isArray(returns) && returns.every((r) => typeof r === 'string'))
  ) {
    return { error: 'returns must be an array of field names.' };
  }
  return { ...window, filters: compiled, returns: returns as string[] | undefined };
}

const MULTI = new Set<Expression>(['in', 'not_in', 'between']);

function compileFilter(input: unknown, where: string): Filter | { error: string } {
  const f = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
  const { field, expression, value, values } = f;
  if (typeof field !== 'string' || field === '') {
    return { error: `${where}.field must be a field name.` };
  }
  if (!FILTER_EXPRESSIONS.includes(expression as Expression)) {
    return {
      error: `${where}.expression must be one of ${FILTER_EXPRESSIONS.join(', ')}; got ${JSON.stringify(expression) ?? 'nothing'}.`,
    };
  }
  const op = expression as Expression;
  if (MULTI.has(op)) {
    const ok = Array.isArray(values) && values.every(isScalar);
    if (!ok || (op === 'between' && values.length !== 2)) {
      return {
        error: `${where}: '${op}' needs values, ${op === 'between' ? 'an array of two values [low, high]' : 'an array of values'}.`,
      };
    }
    const list = (values as unknown[]).map(String);
    if (op === 'between') {
      const [low, high] = list as [string, string];
      return { field, test: (v) => compare(v, low) >= 0 && compare(v, high) <= 0 };
    }
    return { field, test: (v) => list.includes(String(v)) === (op === 'in') };
  }
  if (!isScalar(value)) return { error: `${where}: '${op}' needs a value (string or number).` };
  const text = String(value);
  switch (op) {
    case 'eq':
      return { field, test: (v) => String(v) === text };
    case 'ne':
      return { field, test: (v) => String(v) !== text };
    case 'gt':
      return { field, test: (v) => compare(v, text) > 0 };
    case 'ge':
      return { field, test: (v) => compare(v, text) >= 0 };
    case 'lt':
      return { field, test: (v) => compare(v, text) < 0 };
    case 'le':
      return { field, test: (v) => compare(v, text) <= 0 };
  }
  let pattern: RegExp;
  try {
    pattern = op.endsWith('rlike')
      ? new RegExp(`^(?:${text})$`, 's')
      : likePattern(text, op.endsWith('ilike'));
  } catch {
    return { error: `${where}: the value is not a valid regular expression.` };
  }
  const negate = op.startsWith('not_');
  return { field, test: (v) => pattern.test(String(v)) !== negate };
}

function isScalar(v: unknown): v is string | number | boolean {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}

/** SQL `LIKE`: `%` any run of characters, `_` one character, `\` escapes; the whole value must match. */
function likePattern(like: string, ignoreCase: boolean): RegExp {
  let source = '';
  for (let i = 0; i < like.length; i++) {
    const c = like[i] as string;
    if (c === '\\' && i + 1 < like.length) source += escapeRegExp(like[++i] as string);
    else if (c === '%') source += '.*';
    else if (c === '_') source += '.';
    else source += escapeRegExp(c);
  }
  return new RegExp(`^${source}$`, ignoreCase ? 'is' : 's');
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** Numbers compare as numbers (values arrive as strings from the Go SDK), the rest as text. */
function compare(v: unknown, other: string): number {
  const a = typeof v === 'number' ? v : Number(v);
  const b = Number(other);
  if (
    typeof v !== 'boolean' &&
    v !== '' &&
    other !== '' &&
    Number.isFinite(a) &&
    Number.isFinite(b)
  ) {
    return a - b;
  }
  const s = String(v);
  return s < other ? -1 : s > other ? 1 : 0;
}

/** Rows in the window (by `timeField`) passing every filter, cut to `returns` fields. */
export function runSearch<T extends Record<string, unknown>>(
  rows: T[],
  search: Search,
  timeField: keyof T & string,
): Record<string, unknown>[] {
  const found = rows.filter((row) => {
    const t = Date.parse(String(row[timeField]));
    if (t < search.start || t > search.end) return false;
    return search.filters.every((f) => {
      const v = fieldValue(row, f.field);
      // A field the row does not have matches no expression (as SQL NULL).
      return v !== undefined && v !== null && f.test(v);
    });
  });
  const { returns } = search;
  return returns
    ? found.map((r) => Object.fromEntries(returns.filter((k) => k in r).map((k) => [k, r[k]])))
    : found;
}

function fieldValue(row: Record<string, unknown>, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], row);
}
