/** The provider's type name: `provider "lacework-auth"`, `data "lacework-auth_token"`. */
export const PROVIDER_TYPE = 'lacework-auth';
/** The data source and the ephemeral resource share this type name. */
export const TOKEN_TYPE = 'lacework-auth_token';

interface AttributeSpec {
  name: string;
  type: 'string' | 'number' | 'bool';
  description: string;
  required?: boolean;
  optional?: boolean;
  computed?: boolean;
  sensitive?: boolean;
}

// Typed as Uint8Array so that the published types of this module need no Node.js types.
const ctyType = (type: string): Uint8Array => Buffer.from(JSON.stringify(type));

const toProto = (spec: AttributeSpec) => ({
  name: spec.name,
  type: ctyType(spec.type),
  description: spec.description,
  required: spec.required ?? false,
  optional: spec.optional ?? false,
  computed: spec.computed ?? false,
  sensitive: spec.sensitive ?? false,
  deprecated: false,
});

const block = (description: string, attributes: AttributeSpec[]) => ({
  version: 0,
  block: { version: 0, description, attributes: attributes.map(toProto), block_types: [] },
});

/**
 * `provider "lacework-auth"`: which key to exchange. Every attribute is optional; what is left
 * out is resolved like every Lacework tool does (`@lacework-auth/core`'s `resolveCredentials`):
 * `LW_ACCOUNT`, `LW_API_KEY`, `LW_API_SECRET`, `LW_SUBACCOUNT`, `LW_API_SERVER_URL`, then the
 * `LW_PROFILE` (or `default`) profile of `~/.lacework.toml`, then `key_file`. Terraform never
 * stores provider configuration in state or plan files.
 */
export const PROVIDER_ATTRIBUTES: AttributeSpec[] = [
  {
    name: 'account',
    type: 'string',
    optional: true,
    description: 'Lacework account: acme, acme.lacework.net or acme.fra.lacework.net.',
  },
  {
    name: 'base_url',
    type: 'string',
    optional: true,
    description:
      'API base URL when it is not https://<account>.lacework.net (a proxy, the emulator).',
  },
  { name: 'key_id', type: 'string', optional: true, description: 'API key id.' },
  {
    name: 'secret',
    type: 'string',
    optional: true,
    sensitive: true,
    description:
      'API key secret. Leave it out and set LW_API_SECRET (or use a profile or key_file); if you set it, ' +
      'use an ephemeral variable (Terraform >= 1.10): a plain variable is saved in plan files.',
  },
  {
    name: 'sub_account',
    type: 'string',
    optional: true,
    description: 'Sub-account, sent as Account-Name.',
  },
  {
    name: 'org_access',
    type: 'bool',
    optional: true,
    description: 'Organization-level access: sends Org-Access: true.',
  },
  {
    name: 'profile',
    type: 'string',
    optional: true,
    description: 'Profile of ~/.lacework.toml (default: LW_PROFILE, else "default").',
  },
  {
    name: 'key_file',
    type: 'string',
    optional: true,
    description: 'A key JSON file downloaded from the console (lowest precedence).',
  },
];

/** What `data` and `ephemeral` `lacework-auth_token` take and return. */
export const TOKEN_ATTRIBUTES: AttributeSpec[] = [
  {
    name: 'expiry_time',
    type: 'number',
    optional: true,
    description: 'Token lifetime in seconds, an integer from 1 to 86400 (default 3600).',
  },
  {
    name: 'token',
    type: 'string',
    computed: true,
    sensitive: true,
    description: 'The bearer token.',
  },
  {
    name: 'expires_at',
    type: 'string',
    computed: true,
    description:
      "When the token expires (RFC 3339): the earlier of Lacework's expiresAt and request time + expiry_time.",
  },
  { name: 'base_url', type: 'string', computed: true, description: 'The API base URL used.' },
  {
    name: 'sub_account',
    type: 'string',
    computed: true,
    description: 'The sub-account sent as Account-Name, or null.',
  },
  {
    name: 'org_access',
    type: 'bool',
    computed: true,
    description: 'Whether requests carry Org-Access: true.',
  },
];

export const providerSchema = block(
  'Exchanges a Lacework API key for a bearer token (@lacework-auth/core, cached across runs).',
  PROVIDER_ATTRIBUTES,
);

export const tokenDataSourceSchema = block(
  'A Lacework API bearer token. Terraform keeps data source results in state and plan files: the ' +
    'token is stored there (marked sensitive) until it expires; use the ephemeral resource to keep it out.',
  TOKEN_ATTRIBUTES,
);

export const tokenEphemeralSchema = block(
  'A Lacework API bearer token that Terraform never stores (Terraform >= 1.10): for provider ' +
    'configuration, other ephemeral resources and write-only arguments.',
  TOKEN_ATTRIBUTES,
);
