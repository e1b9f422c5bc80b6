// Bundles the Terraform provider (src/provider/main.ts and everything it imports: core, grpc-js,
// protobufjs, msgpack, node-forge) into one CommonJS file with a node shebang, so
// `lacework-auth-terraform-provider install` can copy it into a Terraform plugin directory as is.
// Also copies the provider's .proto files next to dist/provider/protocol.js (src/provider/proto-text.ts).
import { chmodSync, cpSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const require = createRequire(import.meta.url);
const corePackage = require('@lacework-auth/core/package.json');

/** core's version.js reads ../package.json at run time; the bundle has none, so inline it. */
const inlineCoreVersion = {
  name: 'inline-core-version',
  setup(pluginBuild) {
    pluginBuild.onLoad({ filter: /[\\/]core[\\/]dist[\\/]version\.js$/ }, (args) => {
      const original = readFileSync(args.path, 'utf8');
      if (!original.includes("require('../package.json')")) {
        throw new Error(`${args.path} no longer reads ../package.json: update ${import.meta.url}`);
      }
      return {
        loader: 'js',
        contents:
          `export const VERSION = ${JSON.stringify(corePackage.version)};\n` +
          'export const USER_AGENT = `lacework-auth/${VERSION}`;\n',
      };
    });
  },
};

const PROTO_DIR = new URL('../src/provider/proto/', import.meta.url);

/** src/provider/proto-text.ts reads the .proto files at run time; the bundle has them inlined. */
const inlineProtos = {
  name: 'inline-protos',
  setup(pluginBuild) {
    pluginBuild.onLoad({ filter: /[\\/]provider[\\/]proto-text\.ts$/ }, (args) => {
      if (!readFileSync(args.path, 'utf8').includes('export function protoText(')) {
        throw new Error(`${args.path} no longer exports protoText: update ${import.meta.url}`);
      }
      const texts = Object.fromEntries(
        readdirSync(PROTO_DIR)
          .filter((name) => name.endsWith('.proto'))
          .map((name) => [name, readFileSync(new URL(name, PROTO_DIR), 'utf8')]),
      );
      return {
        loader: 'js',
        contents:
          `const TEXTS = ${JSON.stringify(texts)};\n` +
          'export function protoText(name) {\n' +
          '  if (!(name in TEXTS)) throw new Error(`no ${name} in the bundle`);\n' +
          '  return TEXTS[name];\n' +
          '}\n',
      };
    });
  },
};

cpSync(PROTO_DIR, new URL('../dist/provider/proto/', import.meta.url), { recursive: true });

const outfile = fileURLToPath(
  new URL('../dist/terraform-provider-lacework-auth.cjs', import.meta.url),
);
await build({
  entryPoints: [fileURLToPath(new URL('../src/provider/main.ts', import.meta.url))],
  outfile,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  banner: { js: '#!/usr/bin/env node' },
  legalComments: 'eof',
  logLevel: 'warning',
  plugins: [inlineCoreVersion, inlineProtos],
});
chmodSync(outfile, 0o755);
