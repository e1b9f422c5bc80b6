/** The provider's type name: `provider "lacework-auth"`, `data "lacework-auth_token"`. */
export const PROVIDER_TYPE = 'lacework-auth';
/** The data source and the ephemeral resource share this type name. */
export const TOKEN_TYPE = 'lacework-auth_token';

/** A cty type in Terraform's JSON form: `'string'`, `'number'`, `'bool'`, `['map', 'string']`, ... */
export type CtyType =
  | 'string'
  | 'number'
  | 'bool'
  | readonly [collection: string, element: CtyType]
  | readonly ['object', Readonly<Record<string, CtyType>>];

/** An attribute of a tfplugin6 `Schema.Block`; the flags left out are false. */
export interface AttributeSpec {
  name: string;
  type: CtyType;
  description: string;
  required?: boolean;
  optional?: boolean;
  computed?: boolean;
  sensitive?: boolean;
  deprecated?: boolean;
}

/** A tfplugin6 `Schema.NestedBlock` (the test stand-in for hashicorp/http has one). */
export interface NestedBlockSpec {
  type_name: string;
  nesting: 'SINGLE' | 'LIST' | 'SET' | 'MAP' | 'GROUP';
  block: ReturnType<typeof schemaBlock>;
}

// Typed as Uint8Array so that the published types of this module need no Node.js types.
const ctyType = (type: CtyType): Uint8Array => Buffer.from(JSON.stringify(type));

const toProto = (spec: AttributeSpec) => ({
  name: spec.name,
  type: ctyType(spec.type),
  description: spec.description,
  required: spec.required ?? false,
  optional: spec.optional ?? false,
  computed: spec.computed ?? false,
  sensitive: spec.sensitive ?? false,
  deprecated: spec.deprecated ?? false,
});

/** A tfplugin6 `Schema.Block`, version 0. */
export const schemaBlock = (
  description: string,
  attributes: AttributeSpec[],
  blockTypes: NestedBlockSpec[] = [],
) => ({
  version: 0,
  description,
  attributes: attributes.map(toProto),
  block_types: blockTypes,
});

/** A tfplugin6 `Schema`, version 0: of a provider, a data source or an ephemeral resource. */
export const schema = (
  description: string,
  attributes: AttributeSpec[],
  blockTypes: NestedBlockSpec[] = [],
) => ({ version: 0, block: schemaBlock(description, attributes, blockTypes) });

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

export const providerSchema = schema(
  'Exchanges a Lacework API key for a bearer token (@lacework-auth/core, cached across runs).',
  PROVIDER_ATTRIBUTES,
);

export const tokenDataSourceSchema = schema(
  'A Lacework API bearer token. Terraform keeps data source results in state and plan files: the ' +
    'token is stored there (marked sensitive) until it expires; use the ephemeral resource to keep it out.',
  TOKEN_ATTRIBUTES,
);

export const tokenEphemeralSchema = schema(
  'A Lacework API bearer token that Terraform never stores (Terraform >= 1.10): for provider ' +
    'configuration, other ephemeral resources and write-only arguments.',
  TOKEN_ATTRIBUTES,
);
