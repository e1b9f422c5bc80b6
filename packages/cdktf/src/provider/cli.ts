#!/usr/bin/env node
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { PROVIDER_SOURCE, PROVIDER_VERSION } from './address.js';
import { defaultPluginDir, installProvider, PROVIDER_BUNDLE } from './install.js';

const USAGE = `Usage: lacework-auth-terraform-provider install [--plugin-dir <dir>] [--platform <os_arch>]...
       lacework-auth-terraform-provider path

install   Puts the ${PROVIDER_SOURCE} provider (v${PROVIDER_VERSION}) into a Terraform plugin
          directory, laid out as a filesystem mirror. Nothing is downloaded.
            --plugin-dir  the mirror (default: ~/.terraform.d/plugins, Terraform's implied local
                          mirror, used when the CLI config has no provider_installation block)
            --platform    linux_amd64, darwin_arm64, ... (repeatable; default: this machine)
path      Prints the provider executable inside this package.

The provider runs with the node on PATH when Terraform starts it (Node.js 20.19 or later).
`;

/** Runs the command; returns the exit code. */
export function runCli(
  args: string[],
  io: { stdout(text: string): void; stderr(text: string): void; env?: NodeJS.ProcessEnv },
): number {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(args);
  } catch (error) {
    io.stderr(`lacework-auth-terraform-provider: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const [command, ...extra] = parsed.positionals;
  if (parsed.values.help) {
    io.stdout(USAGE);
    return 0;
  }
  if (command === 'path' && extra.length === 0) {
    io.stdout(`${PROVIDER_BUNDLE}\n`);
    return 0;
  }
  if (command !== 'install' || extra.length > 0) {
    io.stderr(
      `lacework-auth-terraform-provider: expected a command (install or path).\n\n${USAGE}`,
    );
    return 2;
  }
  const pluginDir = parsed.values['plugin-dir'] ?? defaultPluginDir(io.env);
  try {
    const files = installProvider({
      pluginDir,
      ...(parsed.values.platform ? { platforms: parsed.values.platform } : {}),
    });
    for (const file of files) io.stdout(`installed ${file}\n`);
    const custom = parsed.values['plugin-dir'] !== undefined;
    io.stdout(
      custom
        ? `\nPoint Terraform at it in your CLI config (~/.terraformrc or TF_CLI_CONFIG_FILE):\n\nprovider_installation {\n  filesystem_mirror {\n    path    = "${pluginDir}"\n    include = ["${PROVIDER_SOURCE}"]\n  }\n  direct {\n    exclude = ["${PROVIDER_SOURCE}"]\n  }\n}\n`
        : "\nterraform init finds it there (Terraform's implied local mirror) unless your CLI config has a provider_installation block; then add a filesystem_mirror for this directory.\n",
    );
    return 0;
  } catch (error) {
    io.stderr(`lacework-auth-terraform-provider: ${(error as Error).message}\n`);
    return 1;
  }
}

function parse(args: string[]) {
  return parseArgs({
    args,
    strict: true,
    allowPositionals: true,
    options: {
      'plugin-dir': { type: 'string' },
      platform: { type: 'string', multiple: true },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

function isMain(): boolean {
  try {
    return realpathSync(process.argv[1] ?? '') === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isMain()) {
  process.exitCode = runCli(process.argv.slice(2), {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
  });
}
