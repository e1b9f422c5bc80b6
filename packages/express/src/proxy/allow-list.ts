import { InvalidOptionError } from '@lacework-auth/core';

/**
 * One entry of the proxy's `allow` option.
 *
 * - a string `"METHODS path"` or `"path"`: methods are comma-separated (`"GET,POST Alerts/search"`),
 *   omitted or `*` for any method; the path is a glob relative to `/api/v2/` (leading `/` optional)
 *   where `*` matches within one segment and `**` matches any number of whole segments;
 * - an object `{ method?, path }` where `method` is a string or list and `path` a glob string or a
 *   `RegExp` tested against the canonical path relative to `/api/v2/`, without a leading slash
 *   (`/^UserProfile$/`).
 *
 * `GET` also allows `HEAD`. Paths are compared in the canonical spelling the proxy forwards
 * (escaped letters and digits decoded, nothing else escaped; see `parseProxyTarget`),
 * case-sensitively.
 *
 * @example
 * ```ts
 * laceworkProxy({ allow: ['GET UserProfile', 'POST Alerts/search', 'GET CloudAccounts/**'] });
 * laceworkProxy({ allow: [{ method: ['GET'], path: /^Entities\/[A-Za-z]+$/ }] });
 * ```
 */
export type AllowRule =
  | string
  | {
      /** Methods this rule allows. @default any method */
      method?: string | readonly string[];
      /** Glob or regular expression for the path relative to `/api/v2/`. */
      path: string | RegExp;
    };

/**
 * What the proxy forwards when no `allow` is given: reading only. `GET`/`HEAD`/`OPTIONS` anywhere
 * under `/api/v2/`, and `POST` to Lacework's `…/search` endpoints (they read). Anything that
 * writes (creating API keys with `POST AccessKeys`, changing alert rules, …) must be allowed
 * explicitly; `['**']` allows every method on every path.
 */
export const DEFAULT_ALLOW: readonly AllowRule[] = ['GET,OPTIONS **', 'POST **/search'];

/** The decision for one request. */
export type AllowDecision =
  | { allowed: true }
  | { allowed: false; status: 403 }
  | { allowed: false; status: 405; allow: string[] };

interface CompiledRule {
  methods: ReadonlySet<string> | undefined;
  path: RegExp;
}

/** Tests a method and a canonical path (relative to the mount point, with leading `/`). */
export type AllowList = (method: string, path: string) => AllowDecision;

const METHOD_NAME = /^[A-Za-z]+$/;

function globToRegExp(glob: string, index: number): RegExp {
  const parts = glob.replace(/^\//, '').replace(/\/$/, '').split('/');
  const last = parts.length - 1;
  let source = '';
  let needSlash = false;
  parts.forEach((part, i) => {
    if (part === '**') {
      // `a/**` also matches `a`; `**/x` and `a/**/x` also match `x` and `a/x`.
      if (i === last) source += i === 0 ? '(?:[^/]+(?:/[^/]+)*)?' : '(?:/[^/]+)*';
      else source += `${needSlash ? '/' : ''}(?:[^/]+/)*`;
      needSlash = false;
      return;
    }
    if (part.includes('**')) {
      throw new InvalidOptionError(
        `\`allow[${index}]\`: "**" must be a whole path segment, got "${glob}".`,
        { option: `allow[${index}]` },
      );
    }
    const literal = part
      .split('*')
      .map((text) => text.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('[^/]*');
    source += (needSlash ? '/' : '') + literal;
    needSlash = true;
  });
  return new RegExp(`^${source}$`);
}

function compileMethods(value: unknown, index: number): ReadonlySet<string> | undefined {
  if (value === undefined || value === '*') return undefined;
  const list = typeof value === 'string' ? value.split(',') : value;
  if (!Array.isArray(list) || list.length === 0) {
    throw new InvalidOptionError(
      `\`allow[${index}].method\` must be a method name or a list of them, got ${String(value)}.`,
      { option: `allow[${index}].method` },
    );
  }
  const methods = new Set<string>();
  for (const entry of list) {
    const method = typeof entry === 'string' ? entry.trim() : '';
    if (method === '*') return undefined;
    if (!METHOD_NAME.test(method)) {
      throw new InvalidOptionError(
        `\`allow[${index}].method\` has an invalid method name: ${String(entry)}.`,
        { option: `allow[${index}].method` },
      );
    }
    methods.add(method.toUpperCase());
  }
  if (methods.has('GET')) methods.add('HEAD');
  return methods;
}

function compileRule(rule: unknown, index: number): CompiledRule {
  if (typeof rule === 'string') {
    const text = rule.trim();
    const space = text.indexOf(' ');
    const methodPart = space === -1 ? undefined : text.slice(0, space);
    const pathPart = space === -1 ? text : text.slice(space + 1).trim();
    // A bare "GET" is a method whose path was forgotten, not a resource called GET.
    const bareMethod =
      methodPart === undefined && /^(?:GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS)$/.test(pathPart);
    if (pathPart === '' || bareMethod) {
      throw new InvalidOptionError(`\`allow[${index}]\` has no path: "${rule}".`, {
        option: `allow[${index}]`,
      });
    }
    return { methods: compileMethods(methodPart, index), path: globToRegExp(pathPart, index) };
  }
  if (rule !== null && typeof rule === 'object' && 'path' in rule) {
    const { method, path } = rule as { method?: unknown; path: unknown };
    let pattern: RegExp;
    if (path instanceof RegExp) {
      // A global or sticky RegExp keeps `lastIndex` between calls and would match every other time.
      pattern = new RegExp(path.source, path.flags.replace(/[gy]/g, ''));
    } else if (typeof path === 'string' && path.trim() !== '') {
      pattern = globToRegExp(path.trim(), index);
    } else {
      throw new InvalidOptionError(`\`allow[${index}].path\` must be a glob string or a RegExp.`, {
        option: `allow[${index}].path`,
      });
    }
    return { methods: compileMethods(method, index), path: pattern };
  }
  throw new InvalidOptionError(
    `\`allow[${index}]\` must be a string like "GET UserProfile" or { method?, path }, got ${String(rule)}.`,
    { option: `allow[${index}]` },
  );
}

/**
 * Compiles the `allow` option once. A request whose path matches no rule is refused with 403;
 * one whose path matches but whose method does not is refused with 405 and the allowed methods.
 * Returns `undefined` (everything allowed) when `rules` is `undefined`.
 *
 * @throws {InvalidOptionError} naming the offending `allow[i]` entry.
 */
export function compileAllowList(rules: readonly AllowRule[] | undefined): AllowList | undefined {
  if (rules === undefined) return undefined;
  if (!Array.isArray(rules)) {
    throw new InvalidOptionError(`\`allow\` must be an array of rules, got ${typeof rules}.`, {
      option: 'allow',
    });
  }
  const compiled = rules.map((rule, index) => compileRule(rule, index));
  return (method, path) => {
    const relative = path.length > 1 && path.endsWith('/') ? path.slice(1, -1) : path.slice(1);
    let pathMatched = false;
    const allow = new Set<string>();
    for (const rule of compiled) {
      if (!rule.path.test(relative)) continue;
      if (rule.methods === undefined || rule.methods.has(method)) return { allowed: true };
      pathMatched = true;
      for (const m of rule.methods) allow.add(m);
    }
    return pathMatched
      ? { allowed: false, status: 405, allow: [...allow] }
      : { allowed: false, status: 403 };
  };
}
