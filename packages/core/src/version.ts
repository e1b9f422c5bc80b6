import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** Version of `@lacework-auth/core` (from its package.json). */
export const VERSION: string = (require('../package.json') as { version: string }).version;

/** `User-Agent` sent with every request, so Lacework can tell our traffic apart. */
export const USER_AGENT = `lacework-auth/${VERSION}`;
