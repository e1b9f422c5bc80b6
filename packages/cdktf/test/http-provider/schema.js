// @ts-check
// Schemas are built with the lacework-auth provider's own schema helpers (built: `node server.js`
// runs without TypeScript).
import { schema, schemaBlock } from '../../dist/provider/schema.js';

/** @typedef {import('../../dist/provider/schema.js').AttributeSpec} AttributeSpec */

/**
 * The `http` data source of hashicorp/http v3.5 (internal/provider/data_source_http.go), attribute
 * for attribute: same names, types, required/optional/computed flags. No attribute is sensitive
 * in the real provider either: a token in `response_body` stays hidden only because the
 * configuration marks what it derives from it as sensitive (outputs, locals), which is exactly
 * what the end-to-end test checks.
 * @type {AttributeSpec[]}
 */
export const HTTP_ATTRIBUTES = [
  { name: 'id', type: 'string', computed: true, description: 'The URL used for the request.' },
  { name: 'url', type: 'string', required: true, description: 'The URL for the request.' },
  {
    name: 'method',
    type: 'string',
    optional: true,
    description: 'The HTTP Method for the request: GET, HEAD or POST.',
  },
  {
    name: 'request_headers',
    type: ['map', 'string'],
    optional: true,
    description: 'A map of request header field names and values.',
  },
  {
    name: 'request_body',
    type: 'string',
    optional: true,
    description: 'The request body as a string.',
  },
  {
    name: 'request_timeout_ms',
    type: 'number',
    optional: true,
    description: 'The request timeout in milliseconds.',
  },
  {
    name: 'response_body',
    type: 'string',
    computed: true,
    description: 'The response body returned as a string.',
  },
  {
    name: 'body',
    type: 'string',
    computed: true,
    deprecated: true,
    description: 'The response body returned as a string. Deprecated: use `response_body`.',
  },
  {
    name: 'response_body_base64',
    type: 'string',
    computed: true,
    description: 'The response body encoded as base64 (standard).',
  },
  {
    name: 'ca_cert_pem',
    type: 'string',
    optional: true,
    description: 'Certificate Authority (CA) in PEM format.',
  },
  {
    name: 'client_cert_pem',
    type: 'string',
    optional: true,
    description: 'Client certificate in PEM format.',
  },
  {
    name: 'client_key_pem',
    type: 'string',
    optional: true,
    description: 'Client key in PEM format.',
  },
  {
    name: 'insecure',
    type: 'bool',
    optional: true,
    description: "Disables verification of the server's certificate chain and hostname.",
  },
  {
    name: 'response_headers',
    type: ['map', 'string'],
    computed: true,
    description: 'A map of response header field names and values.',
  },
  {
    name: 'status_code',
    type: 'number',
    computed: true,
    description: 'The HTTP response status code.',
  },
];

/** @type {AttributeSpec[]} */
export const RETRY_ATTRIBUTES = [
  {
    name: 'attempts',
    type: 'number',
    optional: true,
    description: 'The number of times the request is to be retried.',
  },
  {
    name: 'min_delay_ms',
    type: 'number',
    optional: true,
    description: 'The minimum delay between retry requests in milliseconds.',
  },
  {
    name: 'max_delay_ms',
    type: 'number',
    optional: true,
    description: 'The maximum delay between retry requests in milliseconds.',
  },
];

/** The `tfplugin6.Schema` message for `data "http"`. */
export const httpDataSourceSchema = schema(
  'Makes an HTTP request to the given URL and exports information about the response.',
  HTTP_ATTRIBUTES,
  [
    {
      type_name: 'retry',
      // SingleNestedBlock in the framework: an object, or null when the block is absent.
      nesting: 'SINGLE',
      block: schemaBlock(
        'Retry request configuration. By default there are no retries.',
        RETRY_ATTRIBUTES,
      ),
    },
  ],
);

/** The provider itself takes no configuration (`provider "http" {}`). */
export const providerSchema = schema('', []);
