import grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type DynamicValue,
  decodeDynamicValue,
  encodeDynamicValue,
  UNKNOWN,
} from '../../src/provider/cty.js';
import { loadProtocol } from '../../src/provider/protocol.js';
import { startTestServer, type TestServer } from '../support/http-server.js';
import { type HttpProvider, startHttpProvider } from './server.js';

/** The data source's state: an object (the stand-in's schema). */
const decodeObject = (value: DynamicValue) => decodeDynamicValue(value) as Record<string, unknown>;

// Talks to the stand-in the way Terraform does (gRPC on the unix socket, msgpack values), so each
// RPC's contract is checked without Terraform in the loop.

interface Attribute {
  name: string;
  type: Buffer;
  required: boolean;
  optional: boolean;
  sensitive: boolean;
}
interface Block {
  attributes: Attribute[];
  block_types: { type_name: string; nesting: string; block: Block }[];
}
interface Diagnostic {
  severity: string;
  summary: string;
  detail: string;
  attribute?: { steps: { attribute_name: string }[] };
}
/** The fields of the responses these tests read (each RPC fills its own). */
interface Response {
  provider: { block: Block };
  data_source_schemas: Record<string, { block: Block }>;
  diagnostics: Diagnostic[];
  state: { msgpack: Buffer };
  Error: string;
}
type Callback = (err: Error | null, response: Response) => void;
type Rpc = (request: object) => Promise<Response>;

let provider: HttpProvider;
let client: grpc.Client & Record<string, (request: object, callback: Callback) => void>;
let server: TestServer;

const rpc =
  (name: string): Rpc =>
  (request) =>
    new Promise((resolve, reject) =>
      client[name]?.(request, (err, response) => (err ? reject(err) : resolve(response))),
    );

/** A full `data "http"` object: every attribute present, as Terraform sends it. */
const dataConfig = (values: Record<string, unknown>) => ({
  id: null,
  url: null,
  method: null,
  request_headers: null,
  request_body: null,
  request_timeout_ms: null,
  response_body: null,
  body: null,
  response_body_base64: null,
  ca_cert_pem: null,
  client_cert_pem: null,
  client_key_pem: null,
  insecure: null,
  response_headers: null,
  status_code: null,
  retry: null,
  ...values,
});

beforeAll(async () => {
  provider = await startHttpProvider();
  const tfplugin6 = grpc.loadPackageDefinition(loadProtocol()).tfplugin6 as grpc.GrpcObject;
  const Provider = tfplugin6.Provider as grpc.ServiceClientConstructor;
  client = new Provider(
    `unix://${provider.socketPath}`,
    grpc.credentials.createInsecure(),
  ) as typeof client;
  server = await startTestServer((req, res) => {
    if (req.path === '/hang') return;
    if (req.path === '/binary') {
      res.end(Buffer.from([0xff, 0xfe, 0x00]));
      return;
    }
    res.statusCode = 201;
    res.setHeader('content-type', 'application/json');
    res.setHeader('x-multi', ['a', 'b']);
    res.end(JSON.stringify({ token: 'T-123', method: req.method }));
  });
});

afterAll(async () => {
  client?.close();
  await server?.close();
  await provider?.close();
});

describe('tfplugin6 over the unix socket', () => {
  it('GetProviderSchema describes data "http" as hashicorp/http v3.5 does', async () => {
    const response = await rpc('GetProviderSchema')({});
    expect(response.provider.block.attributes).toEqual([]);
    const block = response.data_source_schemas.http?.block as Block;
    const attributes = Object.fromEntries(
      block.attributes.map((a) => [
        a.name,
        [
          JSON.parse(a.type.toString()),
          a.required ? 'required' : a.optional ? 'optional' : 'computed',
          a.sensitive,
        ],
      ]),
    );
    expect(attributes).toEqual({
      id: ['string', 'computed', false],
      url: ['string', 'required', false],
      method: ['string', 'optional', false],
      request_headers: [['map', 'string'], 'optional', false],
      request_body: ['string', 'optional', false],
      request_timeout_ms: ['number', 'optional', false],
      response_body: ['string', 'computed', false],
      body: ['string', 'computed', false],
      response_body_base64: ['string', 'computed', false],
      ca_cert_pem: ['string', 'optional', false],
      client_cert_pem: ['string', 'optional', false],
      client_key_pem: ['string', 'optional', false],
      insecure: ['bool', 'optional', false],
      response_headers: [['map', 'string'], 'computed', false],
      status_code: ['number', 'computed', false],
    });
    expect(block.block_types).toHaveLength(1);
    const [retry] = block.block_types;
    expect(retry).toMatchObject({ type_name: 'retry', nesting: 'SINGLE' });
    expect(retry?.block.attributes.map((a) => a.name)).toEqual([
      'attempts',
      'min_delay_ms',
      'max_delay_ms',
    ]);
  });

  it('ValidateDataResourceConfig accepts unknown values (config not known before apply)', async () => {
    const response = await rpc('ValidateDataResourceConfig')({
      type_name: 'http',
      config: encodeDynamicValue(
        dataConfig({
          url: UNKNOWN,
          method: UNKNOWN,
          request_headers: { 'X-LW-UAKS': UNKNOWN },
          retry: { attempts: UNKNOWN, min_delay_ms: 10, max_delay_ms: UNKNOWN },
        }),
      ),
    });
    expect(response.diagnostics).toEqual([]);
  });

  it('ValidateDataResourceConfig reports the real validators’ errors on the attribute', async () => {
    const response = await rpc('ValidateDataResourceConfig')({
      type_name: 'http',
      config: encodeDynamicValue(
        dataConfig({
          url: 'http://x',
          method: 'PUT',
          ca_cert_pem: 'pem',
          insecure: true,
          retry: { attempts: 1, min_delay_ms: 10, max_delay_ms: 5 },
        }),
      ),
    });
    const found = response.diagnostics.map((d) => [
      d.summary,
      d.attribute?.steps.map((step) => step.attribute_name).join('.'),
    ]);
    expect(found).toEqual([
      ['Invalid Attribute Value Match', 'method'],
      ['Invalid Attribute Combination', 'ca_cert_pem'],
      ['Invalid Attribute Value', 'retry.max_delay_ms'],
    ]);
  });

  it('ReadDataSource makes the request and returns the whole object', async () => {
    const config = dataConfig({
      url: `${server.url}/api/v2/access/tokens`,
      method: 'POST',
      request_headers: { 'X-LW-UAKS': '_canary', 'Content-Type': 'application/json' },
      request_body: '{"keyId":"K","expiryTime":3600}',
    });
    const response = await rpc('ReadDataSource')({
      type_name: 'http',
      config: encodeDynamicValue(config),
    });
    expect(response.diagnostics).toEqual([]);
    const seen = server.requests.at(-1);
    expect(seen).toMatchObject({
      method: 'POST',
      path: '/api/v2/access/tokens',
      body: '{"keyId":"K","expiryTime":3600}',
    });
    expect(seen?.headers).toMatchObject({
      'x-lw-uaks': '_canary',
      'content-type': 'application/json',
      'content-length': '31',
    });
    const state = decodeObject(response.state);
    const body = JSON.stringify({ token: 'T-123', method: 'POST' });
    // Configured attributes come back untouched, computed ones are filled in.
    expect(state).toMatchObject({
      url: config.url,
      method: 'POST',
      request_headers: config.request_headers,
      request_body: config.request_body,
      request_timeout_ms: null,
      retry: null,
      id: config.url,
      status_code: 201,
      response_body: body,
      body,
      response_body_base64: Buffer.from(body).toString('base64'),
    });
    // Go's canonical header names; repeated headers joined with ", ".
    expect(state.response_headers).toMatchObject({
      'Content-Type': 'application/json',
      'X-Multi': 'a, b',
    });
  });

  it('ReadDataSource warns about a body that is not UTF-8', async () => {
    const response = await rpc('ReadDataSource')({
      type_name: 'http',
      config: encodeDynamicValue(dataConfig({ url: `${server.url}/binary` })),
    });
    expect(response.diagnostics).toMatchObject([
      { severity: 'WARNING', summary: 'Response body is not recognized as UTF-8' },
    ]);
    expect(decodeObject(response.state).response_body_base64).toBe('//4A');
  });

  it('StopProvider cancels a read in flight', async () => {
    const reading = rpc('ReadDataSource')({
      type_name: 'http',
      config: encodeDynamicValue(dataConfig({ url: `${server.url}/hang` })),
    });
    await expect
      .poll(() => server.requests.some((r) => r.path === '/hang'), { timeout: 10_000 })
      .toBe(true);
    expect(await rpc('StopProvider')({})).toEqual({ Error: '' });
    const response = await reading;
    expect(response.diagnostics[0]?.detail).toContain('context canceled');
  });

  it('records each RPC without any value in it', () => {
    const names = new Set(provider.calls.map((c) => c.rpc));
    expect(names).toEqual(
      new Set([
        'GetProviderSchema',
        'ValidateDataResourceConfig',
        'ReadDataSource',
        'StopProvider',
      ]),
    );
    expect(JSON.stringify(provider.calls)).not.toContain('_canary');
  });
});
