import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import grpc from '@grpc/grpc-js';
import { loadProtocol } from './protocol.js';
import { providerService, type RpcEvent } from './provider-service.js';
import { createServerCertificate } from './tls-certificate.js';

/** go-plugin's handshake for Terraform providers (hashicorp/terraform internal/plugin). */
export const MAGIC_COOKIE_KEY = 'TF_PLUGIN_MAGIC_COOKIE';
export const MAGIC_COOKIE_VALUE =
  'd602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2';
/** go-plugin's own protocol version, and the Terraform plugin protocol this provider speaks. */
const CORE_PROTOCOL_VERSION = 1;
export const PLUGIN_PROTOCOL_VERSION = 6;

export const NOT_A_COMMAND =
  'terraform-provider-lacework-auth is a Terraform plugin: Terraform starts it, it is not run by hand.\n' +
  'Install it into a Terraform plugin directory with `npx lacework-auth-terraform-provider install`, then run terraform init.\n';

/** A running plugin server. */
export interface PluginServer {
  /** The line go-plugin's client reads from stdout. */
  handshake: string;
  close(): Promise<void>;
}

/**
 * Serves the provider the way go-plugin's `Serve` does, so Terraform can start it like any
 * provider: gRPC on a unix socket, announced on stdout as
 * `1|6|unix|<socket>|grpc|<server certificate>`. With `PLUGIN_CLIENT_CERT` (Terraform's automatic
 * mutual TLS, on unless TF_DISABLE_PLUGIN_TLS is set) the connection is TLS, the server presents a
 * fresh self-signed certificate and accepts only the client certificate Terraform passed. Besides
 * the provider it answers go-plugin's controller (Shutdown: exit) and health check.
 */
export async function servePlugin(
  options: {
    env?: NodeJS.ProcessEnv;
    onRpc?: (event: RpcEvent) => void;
    onShutdown?: () => void;
  } = {},
): Promise<PluginServer> {
  const env = options.env ?? process.env;
  const services = servicesOf(grpc.loadPackageDefinition(loadProtocol()));
  const server = new grpc.Server();
  const dir = mkdtempSync(join(env.PLUGIN_UNIX_SOCKET_DIR || tmpdir(), 'lw-plugin-'));
  const socket = join(dir, 'plugin.sock');
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  };

  server.addService(
    services.provider,
    providerService({ env, ...(options.onRpc ? { onRpc: options.onRpc } : {}) }),
  );
  server.addService(services.controller, {
    Shutdown: (_call: unknown, callback: (error: null, response: object) => void) => {
      callback(null, {});
      setImmediate(() => {
        close().finally(() => options.onShutdown?.());
      });
    },
  });
  server.addService(services.health, {
    Check: (_call: unknown, callback: (error: null, response: object) => void) =>
      callback(null, { status: 'SERVING' }),
  });

  const clientCert = env.PLUGIN_CLIENT_CERT;
  let certField = '';
  let credentials = grpc.ServerCredentials.createInsecure();
  if (clientCert) {
    const cert = createServerCertificate();
    certField = cert.handshakeField;
    credentials = grpc.ServerCredentials.createSsl(
      Buffer.from(clientCert),
      [{ private_key: Buffer.from(cert.keyPem), cert_chain: Buffer.from(cert.certPem) }],
      true,
    );
  }
  await new Promise<void>((resolve, reject) =>
    server.bindAsync(`unix://${socket}`, credentials, (error) =>
      error ? reject(error) : resolve(),
    ),
  );
  return {
    handshake: `${CORE_PROTOCOL_VERSION}|${PLUGIN_PROTOCOL_VERSION}|unix|${socket}|grpc|${certField}`,
    close,
  };
}

/** Why this process cannot serve Terraform, or undefined when the handshake can go ahead. */
export function handshakeProblem(env: NodeJS.ProcessEnv): string | undefined {
  if (env[MAGIC_COOKIE_KEY] !== MAGIC_COOKIE_VALUE) return NOT_A_COMMAND;
  const versions = (env.PLUGIN_PROTOCOL_VERSIONS ?? String(PLUGIN_PROTOCOL_VERSION))
    .split(',')
    .map((v) => Number(v.trim()));
  if (!versions.includes(PLUGIN_PROTOCOL_VERSION)) {
    return `This provider speaks Terraform plugin protocol ${PLUGIN_PROTOCOL_VERSION} (Terraform >= 1.0); this Terraform offers ${env.PLUGIN_PROTOCOL_VERSIONS}.\n`;
  }
  return undefined;
}

/** The three services this plugin serves, out of the loaded package definition. */
function servicesOf(root: grpc.GrpcObject) {
  const service = (path: string) => {
    let node: unknown = root;
    for (const part of path.split('.'))
      node = (node as Record<string, unknown> | undefined)?.[part];
    const found = (node as { service?: grpc.ServiceDefinition } | undefined)?.service;
    if (!found) throw new Error(`the protocol definition has no ${path} service`);
    return found;
  };
  return {
    provider: service('tfplugin6.Provider'),
    controller: service('plugin.GRPCController'),
    health: service('grpc.health.v1.Health'),
  };
}
