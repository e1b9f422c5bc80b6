/** The token endpoint. */
export const TOKEN_PATH = '/api/v2/access/tokens';
/** Prefix of the echo route used by proxy tests. */
export const ECHO_PREFIX = '/api/v2/Echo';
