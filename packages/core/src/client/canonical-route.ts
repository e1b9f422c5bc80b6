const ESCAPE = /%[0-9A-Fa-f]{2}/;
const utf8 = new TextDecoder('utf-8', { fatal: false });
const ESCAPED: Record<string, string> = { '%': '%25', '?': '%3F', '#': '%23' };

/**
 * The path as a server could read it, so that every spelling of one route gives one string:
 * query and fragment dropped; percent-escapes decoded until none is left (double encoding too;
 * an invalid escape stays as it is); Unicode NFKC-normalised (fullwidth letters and the like fold
 * to ASCII) and lower-cased; `\` read as `/`; empty, `.` and `..` segments resolved (never above
 * the root); in each segment, a `;parameter` suffix, control characters and trailing dots and
 * spaces dropped (servers that ignore them exist); no trailing slash; a `%`, `?` or `#` left in a
 * segment written escaped, so that the result is its own canonical form.
 *
 * It is a key for per-route state (which routes refused a token), not a path to send: it merges
 * spellings some servers keep apart (case, `;`), which only makes a cooldown apply more widely.
 *
 * @example
 * ```ts
 * canonicalPath('/api/v2/Cloud%41ccounts/'); // '/api/v2/cloudaccounts'
 * canonicalPath('/api/v2/x/../access/tokens%252e?a=1'); // '/api/v2/access/tokens'
 * ```
 */
export function canonicalPath(path: string): string {
  let text = String(path).replace(/[?#][\s\S]*$/, '');
  // Until no escape is left: a path decoded twice on its way (a proxy, then the server) names
  // the same route as its single-encoded spelling. Each round shortens the text, so it ends.
  while (ESCAPE.test(text)) text = percentDecode(text);
  text = text.normalize('NFKC').toLowerCase();
  const segments: string[] = [];
  for (const raw of text.split(/[\\/]/)) {
    const segment = cleanSegment(raw);
    // Dots and spaces only: `..` (and `.. `, `...`, read as `..` by some servers) goes up one.
    if (/^[\s.]*$/u.test(segment)) {
      if (segment.includes('..')) segments.pop();
      continue;
    }
    // Escaped again where a literal would read differently: the result is its own canonical form.
    segments.push(segment.replace(/[\s.]+$/u, '').replace(/[%?#]/g, (c) => ESCAPED[c] ?? c));
  }
  return `/${segments.join('/')}`;
}

/**
 * The key of a route for per-route state: `METHOD /canonical/path` (see {@link canonicalPath}),
 * the method upper-cased, with `HEAD` read as `GET` (servers answer it from the GET route).
 * Accepts `"METHOD /path"` in one string, or the method and path apart.
 *
 * @example
 * ```ts
 * canonicalRoute('get /api/v2/%55serProfile'); // 'GET /api/v2/userprofile'
 * canonicalRoute('HEAD', '/api/v2/UserProfile/'); // 'GET /api/v2/userprofile'
 * ```
 */
export function canonicalRoute(methodOrRoute: string, path?: string): string {
  let method = String(methodOrRoute);
  let target = path;
  if (target === undefined) {
    const space = method.search(/\s/);
    target = space === -1 ? '' : method.slice(space + 1);
    method = space === -1 ? method : method.slice(0, space);
  }
  let verb = method.trim().toUpperCase();
  if (verb === 'HEAD') verb = 'GET';
  return `${verb} ${canonicalPath(target.trim())}`;
}

function cleanSegment(raw: string): string {
  // A NUL ends the name for servers written in C; other control characters are dropped.
  const beforeNul = raw.split('\u0000')[0] ?? '';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: dropping control characters
  const visible = beforeNul.replace(/[\u0001-\u001f\u007f]/g, '');
  return (visible.split(';')[0] ?? '').trim();
}

/** Decodes every valid `%XX` (as UTF-8 bytes); invalid escapes and other text stay as they are. */
function percentDecode(text: string): string {
  return text.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => {
    const bytes = new Uint8Array(run.length / 3);
    for (let i = 0; i < bytes.length; i++) {
      bytes[i] = Number.parseInt(run.slice(i * 3 + 1, i * 3 + 3), 16);
    }
    return utf8.decode(bytes);
  });
}
