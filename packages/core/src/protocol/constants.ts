/** Path of the Lacework token endpoint, relative to the base URL. */
export const TOKEN_PATH = '/api/v2/access/tokens';

/** Path every Lacework API v2 route lives under, relative to the base URL. */
export const API_PREFIX = '/api/v2/';

/** Token lifetime Lacework uses when `expiryTime` is not sent, in seconds. */
export const DEFAULT_EXPIRY_TIME = 3600;

/** Longest token lifetime Lacework accepts, in seconds (24 h). */
export const MAX_EXPIRY_TIME = 86400;

/** Lacework API hosts end in this; any other host needs an explicit opt-in. */
export const LACEWORK_SUFFIX = '.lacework.net';

/** Requests per hour Lacework allows one user, token requests included (documented, about). */
export const RATE_LIMIT_PER_HOUR = 480;

/** The headers of the Lacework protocol, as this project spells them on the wire. */
export const HEADERS = {
  /** The API secret, on the token request only. */
  secret: 'X-LW-UAKS',
  /** The sub-account a request acts on. */
  accountName: 'Account-Name',
  /** `true` for organization-level access. */
  orgAccess: 'Org-Access',
  authorization: 'Authorization',
  contentType: 'Content-Type',
  accept: 'Accept',
  userAgent: 'User-Agent',
} as const;
