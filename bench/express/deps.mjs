// The bench scripts live outside any package; resolve dependencies as @lacework-auth/express does.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const require = createRequire(new URL('../../packages/express/package.json', import.meta.url));

/** Imports a dependency of packages/express. */
export async function load(name) {
  const module = await import(pathToFileURL(require.resolve(name)).href);
  return module.default ?? module;
}

/** Imports a dependency of packages/express and returns the whole module namespace. */
export function loadModule(name) {
  return import(pathToFileURL(require.resolve(name)).href);
}
