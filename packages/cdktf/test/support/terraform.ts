import { execFileSync, spawn } from 'node:child_process';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package's own CLI, built, as users run it (`npx lacework-auth-terraform-provider`). */
export const PROVIDER_CLI = fileURLToPath(new URL('../../dist/provider/cli.js', import.meta.url));

/** Shown when Terraform is missing: the e2e tests fail (never skip) with this. */
export const INSTALL_TERRAFORM = [
  'Terraform 1.11 is required by the end-to-end tests of @lacework-auth/cdktf, and `terraform` was not found on PATH.',
  'Install it from https://developer.hashicorp.com/terraform/install, for example on Linux x86-64:',
  '  curl -fsSLO https://releases.hashicorp.com/terraform/1.11.4/terraform_1.11.4_linux_amd64.zip',
  '  unzip terraform_1.11.4_linux_amd64.zip -d /usr/local/bin && terraform version',
  'or point TERRAFORM_BIN at a terraform 1.11 binary. No provider download is needed: the tests attach a local stand-in for hashicorp/http.',
].join('\n');

export const terraformBin = (): string => process.env.TERRAFORM_BIN || 'terraform';

/** Result of one Terraform command. */
export interface TerraformRun {
  args: string[];
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/**
 * Runs a command without blocking the event loop: the stand-in provider and the emulator serve
 * from this same process while Terraform runs.
 */
export function run(
  bin: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<TerraformRun> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { cwd: options.cwd, env: options.env, stdio: 'pipe' });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 180_000);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ args, code, stdout, stderr, ms: Math.round(performance.now() - started) });
    });
  });
}

/**
 * Checks that Terraform is installed and returns its version; fails with install instructions
 * otherwise.
 */
export async function requireTerraform(): Promise<string> {
  let result: TerraformRun;
  try {
    result = await run(terraformBin(), ['version', '-json'], {
      env: { PATH: process.env.PATH, CHECKPOINT_DISABLE: '1' },
    });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new Error(INSTALL_TERRAFORM);
    throw err;
  }
  const version = /"terraform_version":\s*"([^"]+)"/.exec(result.stdout)?.[1];
  if (result.code !== 0 || !version) {
    throw new Error(
      `\`${terraformBin()} version\` failed (exit ${result.code}).\n${INSTALL_TERRAFORM}`,
    );
  }
  return version;
}

/**
 * cdktf and cdktn default to a local backend whose state path is absolute, under the working
 * directory at synth time (here: the package directory). Point it into the workspace instead, so
 * runs never write outside their temp directory.
 */
function keepStateInside(dir: string): void {
  for (const file of readdirSync(dir).filter((name) => name.endsWith('.tf.json'))) {
    const path = join(dir, file);
    const config = JSON.parse(readFileSync(path, 'utf8'));
    const local = config.terraform?.backend?.local;
    if (local?.path && isAbsolute(local.path)) {
      local.path = 'terraform.tfstate';
      writeFileSync(path, JSON.stringify(config, null, 2));
    }
  }
}

/** A throwaway directory holding a stack and everything Terraform writes for it. */
export interface Workspace {
  /** Directory with the stack's `*.tf.json`: Terraform runs here. */
  dir: string;
  /** Runs `terraform <args>` in `dir` with a clean, isolated environment. */
  terraform(args: string[], env?: Record<string, string>): Promise<TerraformRun>;
  /** Every command run so far (for timings and for secret scans). */
  runs: TerraformRun[];
  remove(): void;
}

/**
 * Copies a synthesized stack directory into a fresh temp workspace. Terraform gets its own
 * HOME, data dir and an empty CLI config (so nothing from this machine's ~/.terraformrc or
 * environment leaks in), no colour, no prompts, no update check, and `TF_REATTACH_PROVIDERS`
 * pointing at the stand-in providers. The lacework-auth provider is installed the way users
 * install it: `lacework-auth-terraform-provider install` into `$HOME/.terraform.d/plugins`,
 * Terraform's implied local mirror, from which `terraform init` installs it offline.
 */
export function createWorkspace(stackDir: string, reattach: string): Workspace {
  const root = mkdtempSync(join(tmpdir(), 'lw-tf-'));
  const dir = join(root, 'stack');
  cpSync(stackDir, dir, { recursive: true });
  keepStateInside(dir);
  const home = join(root, 'home');
  mkdirSync(home);
  execFileSync(process.execPath, [PROVIDER_CLI, 'install'], {
    env: { PATH: process.env.PATH, HOME: home },
    stdio: 'pipe',
  });
  const cliConfig = join(root, 'terraformrc');
  writeFileSync(cliConfig, '');
  const baseEnv: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: home,
    TMPDIR: root,
    TF_CLI_CONFIG_FILE: cliConfig,
    TF_DATA_DIR: join(root, 'data'),
    TF_IN_AUTOMATION: '1',
    TF_INPUT: '0',
    CHECKPOINT_DISABLE: '1',
    TF_REATTACH_PROVIDERS: reattach,
  };
  const runs: TerraformRun[] = [];
  return {
    dir,
    runs,
    async terraform(args, env = {}) {
      const [command, ...rest] = args;
      const flags = [
        '-no-color',
        ...(command === 'output' || command === 'show' ? [] : ['-input=false']),
      ];
      const result = await run(terraformBin(), [command as string, ...flags, ...rest], {
        cwd: dir,
        env: { ...baseEnv, ...env },
      });
      runs.push(result);
      return result;
    },
    remove() {
      rmSync(root, { recursive: true, force: true });
    },
  };
}
