#!/usr/bin/env node
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { closestFlag } from '@lacework-auth/core/internal';
import { PROVIDER_SOURCE, PROVIDER_VERSION } from './address.js';
import { defaultPluginDir, installProvider, PROVIDER_BUNDLE } from './install.js';

const USAGE = `Usage: lacework-auth-terraform-provider install [--plugin-dir <dir>] [--platform <os_arch>]... [--json]
       lacework-auth-terraform-provider path [--json]

install   Puts the ${PROVIDER_SOURCE} provider (v${PROVIDER_VERSION}) into a Terraform plugin
          directory, laid out as a filesystem mirror. Nothing is downloaded.
            --plugin-dir  the mirror (default: ~/.terraform.d/plugins, Terraform's implied local
                          mirror, used when the CLI config has no provider_installation block)
            --platform    linux_amd64, darwin_arm64, ... (repeatable; default: this machine)
path      Prints the provider executable inside this package.
--json    prints the result as one line of JSON: {"installed": [...], "pluginDir", "cliConfig"}
          for install (cliConfig: the CLI config block a custom --plugin-dir needs, else null),
          {"path"} for path.

Exit codes, as in every lacework-auth CLI: 0 done, 1 failed (I/O), 2 wrong usage (unknown
command or flag, bad --platform).

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
    io.stderr(
      `lacework-auth-terraform-provider: ${usageProblem(error as NodeJS.ErrnoException)}\n\n${USAGE}`,
    );
    return 2;
  }
  const [command, ...extra] = parsed.positionals;
  if (parsed.values.help) {
    io.stdout(USAGE);
    return 0;
  }
  const json = parsed.values.json === true;
  if (command === 'path' && extra.length === 0) {
    io.stdout(json ? `${JSON.stringify({ path: PROVIDER_BUNDLE })}\n` : `${PROVIDER_BUNDLE}\n`);
    return 0;
  }
  if (command !== 'install' || extra.length > 0) {
    io.stderr(
      `lacework-auth-terraform-provider: expected a command (install or path).\n\n${USAGE}`,
    );
    return 2;
  }
  const pluginDir = parsed.values['plugin-dir'] ?? defaultPluginDir(io.env);
  const badPlatform = parsed.values.platform?.find((p) => !/^[a-z0-9]+_[a-z0-9]+$/.test(p));
  if (badPlatform !== undefined) {
    const shown = /^[\w./-]{1,40}$/.test(badPlatform) ? `"${badPlatform}"` : 'the value';
    io.stderr(
      `lacework-auth-terraform-provider: --platform ${shown} is not a Terraform platform such as linux_amd64 or darwin_arm64.\nTry 'lacework-auth-terraform-provider --help'.\n`,
    );
    return 2;
  }
  try {
    const files = installProvider({
      pluginDir,
      ...(parsed.values.platform ? { platforms: parsed.values.platform } : {}),
    });
    const custom = parsed.values['plugin-dir'] !== undefined;
    const cliConfig = `provider_installation {\n  filesystem_mirror {\n    path    = "${pluginDir}"\n    include = ["${PROVIDER_SOURCE}"]\n  }\n  direct {\n    exclude = ["${PROVIDER_SOURCE}"]\n  }\n}\n`;
    if (json) {
      io.stdout(
        `${JSON.stringify({ installed: files, pluginDir, cliConfig: custom ? cliConfig : null })}\n`,
      );
      return 0;
    }
    for (const file of files) io.stdout(`installed ${file}\n`);
    io.stdout(
      custom
        ? `\nPoint Terraform at it in your CLI config (~/.terraformrc or TF_CLI_CONFIG_FILE):\n\n${cliConfig}`
        : "\nterraform init finds it there (Terraform's implied local mirror) unless your CLI config has a provider_installation block; then add a filesystem_mirror for this directory.\n",
    );
    return 0;
  } catch (error) {
    io.stderr(`lacework-auth-terraform-provider: ${(error as Error).message}\n`);
    return 1;
  }
}

const FLAGS = {
  'plugin-dir': { type: 'string' },
  platform: { type: 'string', multiple: true },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

function parse(args: string[]) {
  return parseArgs({ args, strict: true, allowPositionals: true, options: FLAGS });
}

/**
 * What is wrong with the arguments, without repeating a flag that does not look like one (it may
 * be a pasted secret); an unknown flag is named with the known one it probably meant.
 */
function usageProblem(error: NodeJS.ErrnoException): string {
  const quoted = /'([^']*)'/.exec(error.message)?.[1] ?? '';
  if (error.code !== 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    return /^Option '--[a-z-]+/.test(error.message)
      ? (error.message.split('\n')[0] ?? '')
      : 'invalid arguments.';
  }
  const name = quoted.replace(/^--?/, '');
  if (!/^[a-z][a-z0-9-]{0,30}$/i.test(name))
    return `unknown option (${quoted.length} characters, not shown).`;
  const close = closestFlag(name, Object.keys(FLAGS));
  return `unknown option '--${name}'.${close ? ` Did you mean --${close}?` : ''}`;
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
