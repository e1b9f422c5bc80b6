// @ts-check
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import grpc from '@grpc/grpc-js';
// The lacework-auth provider's protocol and wire format, built (`node server.js` runs without
// TypeScript): one definition serves the provider and this stand-in.
import { decodeDynamicValue, encodeDynamicValue, isWhollyKnown } from '../../dist/provider/cty.js';
import { loadProtocol } from '../../dist/provider/protocol.js';
import { readHttpDataSource, validateHttpConfig } from './data-source.js';
import { httpDataSourceSchema, providerSchema } from './schema.js';

/**
 * A `data "http"` configuration: an object (its schema's).
 * @param {import('../../dist/provider/cty.js').DynamicValue} value
 */
const decodeConfig = (value) => /** @type {Record<string, any>} */ (decodeDynamicValue(value));

/** The address Terraform resolves `source = "hashicorp/http"` to. */
export const PROVIDER_ADDRESS = 'registry.terraform.io/hashicorp/http';

/**
 * @typedef {object} RpcCall
 * @property {string} rpc e.g. 'ReadDataSource'
 * @property {string} [typeName] data source type, when the RPC has one
 * @property {number} [attempts] HTTP attempts made by a ReadDataSource
 * @property {string[]} [diagnostics] summaries of the diagnostics returned
 */

/**
 * @typedef {object} HttpProvider
 * @property {string} socketPath unix socket Terraform connects to
 * @property {string} reattach value for the `TF_REATTACH_PROVIDERS` environment variable
 * @property {RpcCall[]} calls every RPC Terraform made, in order (no values: they hold secrets)
 * @property {() => Promise<void>} close stops serving and removes the socket
 */

/**
 * Starts a stand-in for `registry.terraform.io/hashicorp/http` in this process: a tfplugin6 gRPC
 * server on a unix socket, for Terraform to attach to through `TF_REATTACH_PROVIDERS` (the
 * mechanism provider debuggers and test frameworks use), so no provider is downloaded.
 * One server can serve any number of Terraform runs, one after another or at once (as a
 * provider started in debug mode does); a StopProvider from any of them cancels all reads.
 *
 * @example
 * const provider = await startHttpProvider();
 * execFile('terraform', ['plan'], { env: { ...process.env, TF_REATTACH_PROVIDERS: provider.reattach } });
 * await provider.close();
 *
 * @param {{ log?: (line: string) => void }} [options] `log` receives one line per RPC
 * @returns {Promise<HttpProvider>}
 */
export async function startHttpProvider(options = {}) {
  const proto = /** @type {any} */ (grpc.loadPackageDefinition(loadProtocol())).tfplugin6;

  /** @type {RpcCall[]} */
  const calls = [];
  // StopProvider cancels reads in flight, as the framework cancels its request contexts.
  let stop = new AbortController();

  /**
   * Wraps a handler so each call is recorded and no exception can kill the server.
   * @param {string} rpc
   * @param {(request: any, call: RpcCall) => any} handler
   */
  const unary = (rpc, handler) => {
    /** @type {grpc.handleUnaryCall<any, any>} */
    const wrapped = (call, callback) => {
      /** @type {RpcCall} */
      const record = { rpc };
      if (call.request?.type_name) record.typeName = call.request.type_name;
      calls.push(record);
      Promise.resolve()
        .then(() => handler(call.request, record))
        .then(
          (response) => {
            if (response?.diagnostics?.length) {
              record.diagnostics = response.diagnostics.map((/** @type {any} */ d) => d.summary);
            }
            options.log?.(JSON.stringify(record));
            callback(null, response);
          },
          (err) => {
            options.log?.(JSON.stringify({ ...record, error: String(err) }));
            callback({ code: grpc.status.INTERNAL, details: String(err) });
          },
        );
    };
    return wrapped;
  };

  /** @param {string} typeName */
  const unknownType = (typeName) => ({
    severity: 'ERROR',
    summary: 'Data Source Type Not Found',
    detail: `The data source type "${typeName}" is not supported by this stand-in: only "http".`,
  });

  const capabilities = { plan_destroy: true, get_provider_schema_optional: false };

  const server = new grpc.Server();
  server.addService(proto.Provider.service, {
    GetProviderSchema: unary('GetProviderSchema', () => ({
      provider: providerSchema,
      data_source_schemas: { http: httpDataSourceSchema },
      server_capabilities: capabilities,
    })),
    ValidateProviderConfig: unary('ValidateProviderConfig', () => ({ diagnostics: [] })),
    ConfigureProvider: unary('ConfigureProvider', () => ({ diagnostics: [] })),
    ValidateDataResourceConfig: unary('ValidateDataResourceConfig', (request) => {
      if (request.type_name !== 'http') return { diagnostics: [unknownType(request.type_name)] };
      return { diagnostics: validateHttpConfig(decodeConfig(request.config)) };
    }),
    ReadDataSource: unary('ReadDataSource', async (request, record) => {
      if (request.type_name !== 'http') return { diagnostics: [unknownType(request.type_name)] };
      const config = decodeConfig(request.config);
      if (!isWhollyKnown(config)) {
        // Terraform plans unknown data sources itself and never asks to read them.
        return {
          diagnostics: [
            { severity: 'ERROR', summary: 'Unknown configuration', detail: 'Cannot read yet.' },
          ],
        };
      }
      const diagnostics = validateHttpConfig(config);
      if (diagnostics.length > 0) return { diagnostics };
      record.attempts = 0;
      const result = await readHttpDataSource(config, {
        signal: stop.signal,
        onAttempt: () => {
          record.attempts = (record.attempts ?? 0) + 1;
        },
      });
      return {
        ...(result.state ? { state: encodeDynamicValue(result.state) } : {}),
        diagnostics: result.diagnostics,
      };
    }),
    StopProvider: unary('StopProvider', () => {
      stop.abort();
      stop = new AbortController();
      return { Error: '' };
    }),
  });

  // Short path: unix socket paths are limited to ~107 bytes.
  const dir = mkdtempSync(join(tmpdir(), 'tfhttp-'));
  const socketPath = join(dir, 'provider.sock');
  await new Promise((resolve, reject) =>
    server.bindAsync(`unix://${socketPath}`, grpc.ServerCredentials.createInsecure(), (err) =>
      err ? reject(err) : resolve(undefined),
    ),
  );

  const reattach = JSON.stringify({
    [PROVIDER_ADDRESS]: {
      Protocol: 'grpc',
      ProtocolVersion: 6,
      // Terraform checks that this process is alive; "Test" tells it not to kill it afterwards.
      Pid: process.pid,
      Test: true,
      Addr: { Network: 'unix', String: socketPath },
    },
  });

  let closed = false;
  return {
    socketPath,
    reattach,
    calls,
    async close() {
      if (closed) return;
      closed = true;
      stop.abort();
      await new Promise((resolve) => server.tryShutdown(() => resolve(undefined)));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// `node server.js`: serve until interrupted, for running Terraform by hand.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const provider = await startHttpProvider({ log: (line) => process.stderr.write(`${line}\n`) });
  process.stdout.write(`export TF_REATTACH_PROVIDERS='${provider.reattach}'\n`);
  for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) {
    process.once(signal, () => {
      provider.close().then(() => process.exit(0));
    });
  }
}
