import { readFileSync } from 'node:fs';
import { invalidOption } from './errors.js';
import { shown } from './shown.js';

import { DEFAULT_VARIABLE_NAMES, type VariableNames } from './variable-names.js';

export { DEFAULT_VARIABLE_NAMES, type VariableNames } from './variable-names.js';

/** Where the script caches the token. */
export type TokenScope = 'collection' | 'environment' | 'globals';

/** Options of {@link generatePreRequestScript}; also accepted by `createCollection` and `addLaceworkAuth`. */
export interface ScriptOptions {
  /** Rename any of the variables the script reads or writes. @default DEFAULT_VARIABLE_NAMES */
  variables?: Partial<VariableNames>;
  /**
   * Variable scope the token is cached in. `collection` keeps it with the collection (newman keeps
   * it for the run); `environment` lets several collections share one token.
   * @default 'collection'
   */
  tokenScope?: TokenScope;
  /**
   * @deprecated Use `tokenScope` (`store` is a token store in `@lacework-auth/core`, not a
   * Postman variable scope).
   */
  store?: TokenScope;
  /**
   * Fixed refresh margin in milliseconds (core's `refreshWindow`): a cached token is replaced once
   * it is this close to expiry. By default the margin scales with the token's lifetime like
   * `refreshWindowMs()` in `@lacework-auth/core`: min(5 min, max(10 % of the lifetime, min(1 s,
   * half the lifetime))).
   * @default undefined (the lifetime rule)
   */
  refreshWindow?: number;
  /** @deprecated Use `refreshWindow`. */
  refreshWindowMs?: number;
  /**
   * When Lacework answers 401/403 to a cached token, drop it and (in a collection run) run that
   * request once more with a new token via `pm.execution.setNextRequest`.
   * @default true
   */
  retryOnUnauthorized?: boolean;
  /** Print one console line per token exchange (never the token or the secret). @default true */
  log?: boolean;
}

/** First line of the block the package manages inside a script; marks it for idempotent updates. */
export const SCRIPT_BEGIN_MARKER = '// >>> @lacework-auth/postman: Lacework auth';
/** Last line of the managed block. */
export const SCRIPT_END_MARKER = '// <<< @lacework-auth/postman';

const VARIABLE_NAME = /^[A-Za-z_][\w.-]{0,99}$/;

/** @internal Validated script options with every field set. */
export interface ScriptConfig {
  variables: VariableNames;
  tokenScope: TokenScope;
  refreshWindow: number | undefined;
  retryOnUnauthorized: boolean;
  log: boolean;
}

/** @internal Validates {@link ScriptOptions} once, with messages naming the option. */
export function normalizeScriptOptions(options: ScriptOptions = {}): ScriptConfig {
  if (typeof options !== 'object' || options === null) {
    throw invalidOption(`options must be an object, got ${shown(options)}.`, 'options');
  }
  const variables: VariableNames = { ...DEFAULT_VARIABLE_NAMES };
  if (options.variables !== undefined) {
    if (typeof options.variables !== 'object' || options.variables === null) {
      throw invalidOption(
        `\`variables\` must be an object, got ${shown(options.variables)}.`,
        'variables',
      );
    }
    for (const [field, name] of Object.entries(options.variables)) {
      if (!Object.hasOwn(DEFAULT_VARIABLE_NAMES, field)) {
        const which = /^[A-Za-z][A-Za-z0-9]{0,39}$/.test(field)
          ? `\`variables.${field}\` is`
          : `\`variables\` has a key (${field.length} characters, not shown) that is`;
        throw invalidOption(
          `${which} not a known variable; use one of ${Object.keys(DEFAULT_VARIABLE_NAMES).join(', ')}.`,
          'variables',
        );
      }
      if (name === undefined) continue;
      if (typeof name !== 'string' || !VARIABLE_NAME.test(name)) {
        throw invalidOption(
          `\`variables.${field}\` must be a Postman variable name (letters, digits, _ . -), got ${shown(name)}.`,
          `variables.${field}`,
        );
      }
      variables[field as keyof VariableNames] = name;
    }
    const seen = new Set(Object.values(variables));
    if (seen.size !== Object.keys(variables).length) {
      throw invalidOption('`variables` must give every variable a different name.', 'variables');
    }
  }
  const scopeName = aliased(options, 'store', 'tokenScope');
  const tokenScope = options[scopeName] ?? 'collection';
  if (tokenScope !== 'collection' && tokenScope !== 'environment' && tokenScope !== 'globals') {
    throw invalidOption(
      `\`${scopeName}\` must be 'collection', 'environment' or 'globals', got ${shown(tokenScope)}.`,
      scopeName,
    );
  }
  const windowName = aliased(options, 'refreshWindowMs', 'refreshWindow');
  const refreshWindow = options[windowName];
  if (
    refreshWindow !== undefined &&
    (!Number.isInteger(refreshWindow) || refreshWindow < 0 || refreshWindow > 86_400_000)
  ) {
    throw invalidOption(
      `\`${windowName}\` must be an integer from 0 to 86400000 (ms), got ${shown(refreshWindow)}.`,
      windowName,
    );
  }
  for (const flag of ['retryOnUnauthorized', 'log'] as const) {
    if (options[flag] !== undefined && typeof options[flag] !== 'boolean') {
      throw invalidOption(`\`${flag}\` must be a boolean, got ${shown(options[flag])}.`, flag);
    }
  }
  return {
    variables,
    tokenScope,
    refreshWindow,
    retryOnUnauthorized: options.retryOnUnauthorized ?? true,
    log: options.log ?? true,
  };
}

/**
 * Which of a deprecated option and its new name was given (the new one when neither); both at
 * once are refused, since they could disagree.
 */
function aliased<K extends keyof ScriptOptions>(options: ScriptOptions, old: K, name: K): K {
  if (options[old] === undefined) return name;
  if (options[name] !== undefined) {
    throw invalidOption(
      `\`${old}\` is the deprecated name of \`${name}\`; give only \`${name}\`.`,
      old,
    );
  }
  return old;
}

let sandboxSource: string | undefined;

/** @internal The sandbox script's source, as shipped (src/sandbox in development, dist/sandbox when built). */
export function readSandboxSource(): string {
  sandboxSource ??= readFileSync(new URL('./sandbox/lacework-auth.js', import.meta.url), 'utf8');
  return sandboxSource;
}

/** @internal The managed script block as lines, the form Postman stores in `event[].script.exec`. */
export function scriptLines(config: ScriptConfig): string[] {
  const changed: Record<string, unknown> = {};
  const variables: Partial<VariableNames> = {};
  for (const [field, name] of Object.entries(config.variables)) {
    if (DEFAULT_VARIABLE_NAMES[field as keyof VariableNames] !== name) {
      variables[field as keyof VariableNames] = name;
    }
  }
  if (Object.keys(variables).length > 0) changed.variables = variables;
  // The sandbox script's own setting names (kept: scripts generated earlier carry them).
  if (config.tokenScope !== 'collection') changed.store = config.tokenScope;
  if (config.refreshWindow !== undefined) changed.refreshWindowMs = config.refreshWindow;
  if (!config.retryOnUnauthorized) changed.retryOnUnauthorized = false;
  if (!config.log) changed.log = false;
  const source = readSandboxSource().replace(/\s+$/, '');
  return [
    `${SCRIPT_BEGIN_MARKER} (generated; regenerate it with lacework-postman rather than editing)`,
    // `var`, not const: Postman may evaluate collection scripts repeatedly in one context.
    `var LACEWORK_AUTH_CONFIG = ${JSON.stringify(changed)};`,
    ...source.split('\n'),
    SCRIPT_END_MARKER,
  ];
}

/**
 * The Lacework auth script for Postman's sandbox, as one string. Install it as a collection's
 * pre-request script (it exchanges the API key for a token, caches and refreshes it, and skips a
 * request with a failing test instead of sending it unauthenticated) and as its test script (it
 * drops a token Lacework refused and runs the request once more). `createCollection` and
 * `addLaceworkAuth` do both for you.
 *
 * The script reads `lw_base_url`, `lw_key_id`, `lw_secret`, `lw_sub_account`, `lw_expiry_time`
 * and writes `lw_token`, `lw_token_expires_at` (see the README's variables table).
 *
 * @example
 * ```ts
 * import { generatePreRequestScript } from '@lacework-auth/postman';
 * const script = generatePreRequestScript({ tokenScope: 'environment' });
 * // paste into the collection's Scripts → Pre-request and Post-response tabs
 * ```
 */
export function generatePreRequestScript(options?: ScriptOptions): string {
  return `${scriptLines(normalizeScriptOptions(options)).join('\n')}\n`;
}
