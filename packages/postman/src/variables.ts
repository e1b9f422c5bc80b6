import type { VariableNames } from './script.js';

/** A collection variable in Collection Format v2.1 JSON. */
export interface CollectionVariable {
  key: string;
  value: string;
  type: 'string';
  /** postman-collection 5.x's marker for sensitive values (the v2.1 `type` enum has no "secret"). */
  secret?: boolean;
  description?: string;
}

/** @internal The variables a Lacework collection declares, all empty: users fill them in an environment. */
export function collectionVariables(names: VariableNames): CollectionVariable[] {
  const variable = (key: string, description: string, value = ''): CollectionVariable => ({
    key,
    value,
    type: 'string',
    description,
  });
  return [
    variable(
      names.baseUrl,
      'Lacework URL (https://<account>.lacework.net) or account name. Set it in your environment.',
    ),
    variable(names.keyId, 'API key ID (Settings → API keys). Set it in your environment.'),
    {
      ...variable(
        names.secret,
        'API key secret. Keep it out of the collection: set it in your environment as a secret variable.',
      ),
      secret: true,
    },
    variable(names.subAccount, 'Optional sub-account, sent as the Account-Name header.'),
    variable(names.expiryTime, 'Token lifetime in seconds (1 to 86400). Empty means 3600.', '3600'),
    variable(names.token, 'Written by the Lacework auth script: the current bearer token.'),
    variable(
      names.tokenExpiresAt,
      `Written by the Lacework auth script: when ${names.token} expires.`,
    ),
  ];
}
