import pc from 'postman-collection';
import { invalidOption } from './errors.js';
import { stableId } from './ids.js';
import { normalizeScriptOptions, type ScriptOptions, scriptLines } from './script.js';
import { shown } from './shown.js';
import { STARTER_FOLDERS, type StarterRequest, TIME_WINDOW_SCRIPT } from './starter-requests.js';
import { collectionVariables } from './variables.js';

/** Options of {@link createCollection}. */
export interface CollectionOptions extends ScriptOptions {
  /** Collection name shown in Postman. @default 'Lacework API v2' */
  name?: string;
  /**
   * Starter folders to include, by name ('Account', 'Cloud accounts', 'Alerts',
   * 'Vulnerabilities', 'Policies', 'Audit logs').
   * @default every folder
   */
  folders?: string[];
}

/**
 * A `postman-collection` SDK `Collection`. `toJSON()` gives Collection Format v2.1 JSON that
 * Postman, newman and the Postman CLI import as is.
 */
export interface PostmanCollection {
  /** Collection id (stable: the same options give the same id). */
  id: string;
  /** Collection name. */
  name: string;
  /** Collection Format v2.1 JSON. */
  toJSON(): Record<string, unknown>;
}

/** Folder names of the starter collection, in order. */
export const STARTER_FOLDER_NAMES: readonly string[] = STARTER_FOLDERS.map((f) => f.name);

/** @internal The collection-level `auth` (v2.1): bearer `{{lw_request_token}}`. */
export function bearerAuth(tokenVariable: string) {
  return {
    type: 'bearer',
    bearer: [{ key: 'token', value: `{{${tokenVariable}}}`, type: 'string' }],
  };
}

/** @internal Collection-level events carrying the managed script, as v2.1 JSON. */
export function authEvents(lines: string[]) {
  return (['prerequest', 'test'] as const).map((listen) => ({
    listen,
    script: { id: stableId(`event:${listen}`), type: 'text/javascript', exec: [...lines] },
  }));
}

function requestItem(folder: string, request: StarterRequest, baseUrlVariable: string) {
  const query = Object.entries(request.query ?? {}).map(([key, value]) => ({ key, value }));
  return {
    id: stableId(`item:${folder}/${request.name}`),
    name: request.name,
    request: {
      method: request.method,
      header:
        request.body === undefined ? [] : [{ key: 'Content-Type', value: 'application/json' }],
      url: {
        raw: `{{${baseUrlVariable}}}/api/v2/${request.path}${
          query.length > 0 ? `?${query.map((q) => `${q.key}=${q.value}`).join('&')}` : ''
        }`,
        host: [`{{${baseUrlVariable}}}`],
        path: ['api', 'v2', ...request.path.split('/')],
        ...(query.length > 0 ? { query } : {}),
      },
      ...(request.body === undefined
        ? {}
        : {
            body: {
              mode: 'raw',
              raw: JSON.stringify(request.body, null, 2),
              options: { raw: { language: 'json' } },
            },
          }),
      description: request.description,
    },
    event: request.timeWindow
      ? [
          {
            listen: 'prerequest',
            script: {
              id: stableId(`event:${folder}/${request.name}`),
              type: 'text/javascript',
              exec: [...TIME_WINDOW_SCRIPT],
            },
          },
        ]
      : [],
  };
}

/**
 * A Postman collection for the Lacework API v2 with automatic auth: the Lacework auth script at
 * collection level (pre-request and test), bearer auth `{{lw_token}}` that every request
 * inherits, the `lw_*` variables (all empty; `lw_secret` marked secret), and starter requests in
 * folders. Save `collection.toJSON()` as a file and import it, or run it with newman or the
 * Postman CLI.
 *
 * @example
 * ```ts
 * import { writeFileSync } from 'node:fs';
 * import { createCollection } from '@lacework-auth/postman';
 * const collection = createCollection({ folders: ['Account', 'Alerts'] });
 * writeFileSync('lacework.postman_collection.json', JSON.stringify(collection.toJSON(), null, 2));
 * ```
 */
export function createCollection(options: CollectionOptions = {}): PostmanCollection {
  const config = normalizeScriptOptions(options);
  const name = options.name ?? 'Lacework API v2';
  if (typeof name !== 'string' || name.trim() === '') {
    throw invalidOption(`\`name\` must be a non-empty string, got ${shown(name)}.`, 'name');
  }
  let folders = STARTER_FOLDERS;
  if (options.folders !== undefined) {
    if (!Array.isArray(options.folders)) {
      throw invalidOption('`folders` must be an array of folder names.', 'folders');
    }
    for (const folder of options.folders) {
      if (!STARTER_FOLDER_NAMES.includes(folder)) {
        throw invalidOption(
          `\`folders\` contains ${shown(folder)}; the folders are ${STARTER_FOLDER_NAMES.map((f) => `'${f}'`).join(', ')}.`,
          'folders',
        );
      }
    }
    folders = STARTER_FOLDERS.filter((f) => options.folders?.includes(f.name));
  }
  const { variables } = config;
  return new pc.Collection({
    info: {
      _postman_id: stableId(`collection:${name}`),
      name,
      description: [
        'Lacework API v2 with automatic auth by @lacework-auth/postman.',
        '',
        `Set \`${variables.baseUrl}\`, \`${variables.keyId}\` and \`${variables.secret}\` in an environment (mark the secret as secret). The collection's scripts exchange the API key for a token, cache it in \`${variables.token}\` and refresh it before it expires.`,
      ].join('\n'),
      schema: 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json',
    },
    auth: bearerAuth(variables.requestToken),
    // Runners keep Authorization on a redirect that changes only the port or the scheme
    // (postman-request lib/redirect.js): a redirect must not carry the token to another origin.
    protocolProfileBehavior: { followRedirects: false },
    event: authEvents(scriptLines(config)),
    variable: collectionVariables(variables),
    item: folders.map((folder) => ({
      id: stableId(`folder:${folder.name}`),
      name: folder.name,
      description: folder.description,
      item: folder.requests.map((request) => requestItem(folder.name, request, variables.baseUrl)),
    })),
  });
}
