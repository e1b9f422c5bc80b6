import { fromJSON, type PackageDefinition } from '@grpc/proto-loader';
import protobuf from 'protobufjs';
import { protoText } from './proto-text.js';

/**
 * What this provider serves, in `proto/` next to this module: Terraform's plugin protocol 6
 * (`tfplugin6.proto`, the subset it and the test stand-ins speak), go-plugin's controller and the
 * gRPC health service.
 */
export const PROTO_FILES = ['tfplugin6.proto', 'grpc_controller.proto', 'health.proto'] as const;

/** Options shared with the test stand-ins: snake_case names, enums as strings, int64 as numbers. */
export const PROTO_OPTIONS = {
  keepCase: true,
  longs: Number,
  enums: String,
  defaults: true,
  oneofs: true,
} as const;

/** The gRPC package definition of everything this provider serves. */
export function loadProtocol(): PackageDefinition {
  const root = new protobuf.Root();
  for (const name of PROTO_FILES) {
    protobuf.parse(protoText(name), root, { keepCase: true });
  }
  return fromJSON(root.toJSON(), PROTO_OPTIONS);
}
