import { authEvents, bearerAuth } from './collection.js';
import { invalidOption } from './errors.js';
import {
  normalizeScriptOptions,
  SCRIPT_BEGIN_MARKER,
  SCRIPT_END_MARKER,
  type ScriptOptions,
  scriptLines,
} from './script.js';
import { shown } from './shown.js';
import { collectionVariables } from './variables.js';

/** A collection schema URL, quoted in a message only in this shape. */
const SCHEMA_SHAPE = /^[A-Za-z0-9][A-Za-z0-9.:/#-]{0,119}$/;

/** Options of {@link addLaceworkAuth}. */
export interface InjectOptions extends ScriptOptions {
  /**
   * Replace collection-level auth of another type (basic, apikey, ...) with Lacework bearer auth.
   * Without it such a collection is refused, because its requests that inherit that auth would
   * lose it. Requests and folders with their own auth always keep it.
   * @default false
   */
  replaceAuth?: boolean;
}

type Json = Record<string, unknown>;

interface EventJson {
  listen?: unknown;
  script?: unknown;
  [key: string]: unknown;
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function formatVersion(collection: Json): '2.0' | '2.1' {
  const info = collection.info;
  if (!isObject(info) || !Array.isArray(collection.item)) {
    const hint = Array.isArray(collection.requests)
      ? ' This looks like a Collection Format v1 file: re-export it from Postman as v2.1.'
      : '';
    throw invalidOption(
      `the collection must be Collection Format v2.0 or v2.1 JSON with \`info\` and \`item\`.${hint}`,
      'collectionJson',
    );
  }
  const schema = typeof info.schema === 'string' ? info.schema : '';
  if (schema.includes('/v2.0.')) return '2.0';
  if (schema === '' || schema.includes('/v2.1.')) return '2.1';
  throw invalidOption(
    `the collection's schema ${shown(schema, SCHEMA_SHAPE)} is not Collection Format v2.0 or v2.1.`,
    'collectionJson',
  );
}

/** @internal Removes a managed block (from an earlier injection) from script lines. */
export function withoutManagedBlock(lines: string[]): string[] {
  const start = lines.findIndex((line) => line.startsWith(SCRIPT_BEGIN_MARKER));
  if (start === -1) return lines;
  const end = lines.indexOf(SCRIPT_END_MARKER, start);
  if (end === -1) {
    throw invalidOption(
      'the collection has the start of a Lacework auth script but not its end marker; remove the edited script and inject again.',
      'collectionJson',
    );
  }
  return [...lines.slice(0, start), ...lines.slice(end + 1)];
}

function execLines(exec: unknown): string[] {
  if (typeof exec === 'string') return exec.split('\n');
  if (Array.isArray(exec)) return exec.map(String);
  return [];
}

/**
 * The collection's events without the managed block (left by an earlier injection, also inside
 * the collection's own script by versions that merged it there); an event that held nothing else
 * is dropped.
 */
function withoutOurEvents(events: EventJson[]): EventJson[] {
  return events.flatMap((event) => {
    if (!isObject(event.script)) return [event];
    const lines = execLines(event.script.exec);
    const theirs = withoutManagedBlock(lines);
    if (theirs.length === lines.length) return [event];
    if (theirs.every((line) => line.trim() === '')) return [];
    return [{ ...event, script: { ...event.script, exec: theirs } }];
  });
}

/** Bearer auth with one of `tokenVariables` (ours, or what an earlier version put there). */
function isOurAuth(auth: Json, tokenVariables: readonly string[]): boolean {
  if (auth.type !== 'bearer') return false;
  const references = tokenVariables.map((name) => `{{${name}}}`);
  const bearer = auth.bearer;
  if (Array.isArray(bearer)) {
    return bearer.some(
      (p) => isObject(p) && p.key === 'token' && references.includes(String(p.value)),
    );
  }
  return isObject(bearer) && references.includes(String(bearer.token));
}

/**
 * Adds Lacework auth to an existing Postman collection (Collection Format v2.0 or v2.1 JSON) and
 * returns the new JSON; the input is not changed. The Lacework auth script is put first in the
 * collection-level pre-request and test scripts (the collection's own code is kept after it),
 * collection-level auth becomes bearer `{{lw_request_token}}` (folders and requests with their own auth
 * keep it), and missing `lw_*` variables are added (existing ones are kept).
 *
 * Idempotent: the script is a marked block, so injecting again replaces it and changes nothing
 * else. Requests to other hosts are left alone by the script and never receive the token.
 *
 * @throws LaceworkAuthError `ERR_LW_INVALID_OPTION` when the input is not v2.0/v2.1 JSON, or
 * has collection-level auth of another type and `replaceAuth` is not set.
 *
 * @example
 * ```ts
 * import { readFileSync, writeFileSync } from 'node:fs';
 * import { addLaceworkAuth } from '@lacework-auth/postman';
 * const input = JSON.parse(readFileSync('team.postman_collection.json', 'utf8'));
 * writeFileSync('team-lacework.json', JSON.stringify(addLaceworkAuth(input), null, 2));
 * ```
 */
export function addLaceworkAuth(
  collectionJson: object | string,
  options: InjectOptions = {},
): Json {
  const config = normalizeScriptOptions(options);
  if (options.replaceAuth !== undefined && typeof options.replaceAuth !== 'boolean') {
    throw invalidOption(
      `\`replaceAuth\` must be a boolean, got ${shown(options.replaceAuth)}.`,
      'replaceAuth',
    );
  }
  let parsed: unknown = collectionJson;
  if (typeof collectionJson === 'string') {
    try {
      parsed = JSON.parse(collectionJson);
    } catch (error) {
      throw invalidOption(
        // Only the position: the parser's own message may quote the collection (and a secret in it).
        `the collection is not valid JSON${jsonPosition(error)}.`,
        'collectionJson',
      );
    }
  }
  if (!isObject(parsed))
    throw invalidOption('the collection must be a JSON object.', 'collectionJson');
  const collection = structuredClone(parsed);
  const version = formatVersion(collection);
  const tokenVariable = config.variables.requestToken;
  const ourAuth =
    version === '2.0'
      ? { type: 'bearer', bearer: { token: `{{${tokenVariable}}}` } }
      : bearerAuth(tokenVariable);

  const auth = collection.auth;
  if (auth === undefined || auth === null || (isObject(auth) && auth.type === 'noauth')) {
    // Replacing "no auth" is safe: the script clears the token for non-Lacework requests, so
    // bearer auth adds no header to them.
    collection.auth = ourAuth;
  } else if (isObject(auth) && isOurAuth(auth, [tokenVariable, config.variables.token])) {
    // Ours, maybe from a version whose auth sent the stored {{lw_token}}: now the local one.
    collection.auth = ourAuth;
  } else {
    if (!options.replaceAuth) {
      const type = isObject(auth) ? String(auth.type) : typeof auth;
      throw invalidOption(
        `the collection already has collection-level auth of type \`${type}\`. Pass \`replaceAuth: true\` (CLI: --replace-auth) to replace it with Lacework bearer auth, or move that auth to the folders that need it.`,
        'collectionJson',
      );
    }
    collection.auth = ourAuth;
  }

  // The script is an event of its own, before the collection's events: runners run each event
  // as a separate script, in order, so nothing in the collection's own scripts (a syntax error,
  // `disabled`, a `src` script) can keep it from running, and their code runs after it.
  const events = Array.isArray(collection.event) ? (collection.event as EventJson[]) : [];
  collection.event = [...authEvents(scriptLines(config)), ...withoutOurEvents(events)];

  const existing = Array.isArray(collection.variable) ? (collection.variable as Json[]) : [];
  const keys = new Set(existing.map((v) => (isObject(v) ? v.key : undefined)));
  collection.variable = [
    ...existing,
    ...collectionVariables(config.variables).filter((v) => !keys.has(v.key)),
  ];
  return collection;
}

/** ` (at character N)` from a JSON.parse error, or nothing. */
function jsonPosition(error: unknown): string {
  const position = /position (\d+)/.exec(String((error as Error)?.message))?.[1];
  return position === undefined ? '' : ` (at character ${position})`;
}
