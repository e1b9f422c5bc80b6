// Bundles the Terraform provider (src/provider/main.ts and everything it imports: core, grpc-js,
// protobufjs, msgpack, node-forge) into one CommonJS file with a node shebang, so
// `lacework-auth-terraform-provider install` can copy it into a Terraform plugin directory as is.
import { chmodSync, readFileSync } from 'node:fs';
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
  plugins: [inlineCoreVersion],
});
chmodSync(outfile, 0o755);
