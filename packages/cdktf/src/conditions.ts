import { MAX_TOKEN_LENGTH, PATTERNS } from '@lacework-auth/core/protocol';
import type { ConditionLike } from './library.js';

const SUCCESS = 'self.status_code >= 200 && self.status_code < 300';

// Lacework v2 errors are JSON {"message": "..."}; tostring() keeps a non-string from breaking the
// message (Terraform evaluates error messages even when the condition holds).
const LACEWORK_MESSAGE = 'try(tostring(jsondecode(self.response_body).message), "")';

/** Where the construct says the key came from, so the message can name it. */
export interface ConditionContext {
  /** The token endpoint URL (literal or token). */
  readonly url: string;
  /** The sub-account sent as `Account-Name`, if any (literal or token). */
  readonly subAccount: string | undefined;
}

/**
 * The postconditions of the token data source. Terraform checks them right after reading it, so
 * a rejected key fails `plan` at the token request, with the cause and the fix, instead of later
 * at a confusing `jsondecode` of an error body.
 */
export function tokenPostconditions(context: ConditionContext): ConditionLike[] {
  const { url, subAccount } = context;
  const subAccountHint =
    subAccount === undefined ? '' : `, and that the key may act on the sub-account "${subAccount}"`;
  return [
    {
      condition: `\${${SUCCESS}}`,
      errorMessage:
        `Lacework did not issue an API access token: POST ${url} answered HTTP \${self.status_code}` +
        `%{ if ${LACEWORK_MESSAGE} != "" } ("\${${LACEWORK_MESSAGE}}")%{ endif }. ` +
        '%{ if contains([400, 401, 403], self.status_code) }' +
        'The API key was rejected. Check that keyId and secret come from the same API key ' +
        '(e.g. TF_VAR_lacework_key_id and TF_VAR_lacework_secret, as in the key file downloaded from the console), ' +
        `that the key is enabled and belongs to this account${subAccountHint}; ` +
        'HTTP 400 can also mean an expiryTime outside 1..86400. ' +
        'If the secret is lost, create a new key under Settings > API keys.' +
        '%{ else }%{ if self.status_code == 429 }' +
        'Lacework rate-limited this key (about 480 requests per hour per user, the token endpoint included) ' +
        'and the retries ran out. Wait a few minutes before running again, and avoid running plan in a loop: ' +
        'every plan requests one token.' +
        '%{ else }%{ if self.status_code >= 500 }' +
        'Lacework had a server error on every attempt. Run again later.' +
        '%{ else }' +
        'This is not the Lacework token endpoint: check the account or base URL ' +
        '(expected https://<account>.lacework.net, or the emulator or proxy origin without a path).' +
        '%{ endif }%{ endif }%{ endif }',
    },
    {
      // The token rules of core's protocol module: an RFC 6750 bearer token of at most
      // MAX_TOKEN_LENGTH characters, and an RFC 3339 `expiresAt`.
      condition:
        `\${!(${SUCCESS}) || try(can(regex("${PATTERNS.bearerToken}", jsondecode(self.response_body).token)) && ` +
        `length(jsondecode(self.response_body).token) <= ${MAX_TOKEN_LENGTH} && ` +
        'can(timecmp(jsondecode(self.response_body).expiresAt, "2000-01-01T00:00:00Z")), false)}',
      errorMessage:
        `POST ${url} answered HTTP \${self.status_code} but not with a Lacework token ` +
        '(JSON with "token" and "expiresAt"; got Content-Type ' +
        `"\${try(self.response_headers["Content-Type"], "none")}"). ` +
        'A proxy, captive portal or wrong base URL is the usual cause: check the account or base URL.',
    },
  ];
}
