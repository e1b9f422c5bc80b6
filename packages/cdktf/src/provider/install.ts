import { chmodSync, copyFileSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PROVIDER_SOURCE, PROVIDER_VERSION } from './address.js';
import { PROVIDER_TYPE } from './schema.js';

/** The bundled provider executable in this package (built by scripts/bundle-provider.mjs). */
export const PROVIDER_BUNDLE = fileURLToPath(
  new URL('../terraform-provider-lacework-auth.cjs', import.meta.url),
);

/** Terraform's name for a platform (`linux_amd64`, `darwin_arm64`). */
export function terraformPlatform(
  platform: string = process.platform,
  arch: string = process.arch,
): string {
  const os = platform === 'win32' ? 'windows' : platform;
  const cpu = arch === 'x64' ? 'amd64' : arch === 'ia32' ? '386' : arch;
  return `${os}_${cpu}`;
}

/**
 * Terraform's implied local mirror on Linux and macOS (`~/.terraform.d/plugins`): used when the
 * CLI configuration has no `provider_installation` block.
 */
export function defaultPluginDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.HOME || homedir(), '.terraform.d', 'plugins');
}

export interface InstallOptions {
  /** The mirror's root directory. @default `~/.terraform.d/plugins` */
  pluginDir?: string;
  /** Terraform platforms to install for. @default this machine's */
  platforms?: string[];
}

/**
 * Lays the provider out in Terraform's unpacked filesystem-mirror layout:
 * `<pluginDir>/terraform.local/lacework-auth/lacework-auth/<version>/<os_arch>/terraform-provider-lacework-auth_v<version>.cjs`.
 * The file is the same for every platform and every machine (a node script), so the hash
 * `terraform init` writes into `.terraform.lock.hcl` is too. Returns the files written.
 */
export function installProvider(options: InstallOptions = {}): string[] {
  const pluginDir = options.pluginDir ?? defaultPluginDir();
  const platforms = options.platforms ?? [terraformPlatform()];
  const written: string[] = [];
  for (const platform of platforms) {
    if (!/^[a-z0-9]+_[a-z0-9]+$/.test(platform)) {
      throw new Error(
        `"${platform}" is not a Terraform platform such as linux_amd64 or darwin_arm64.`,
      );
    }
    const dir = join(pluginDir, ...PROVIDER_SOURCE.split('/'), PROVIDER_VERSION, platform);
    mkdirSync(dir, { recursive: true });
    // Terraform runs the first file named terraform-provider-<type>*: leave no other one there.
    for (const name of readdirSync(dir)) rmSync(join(dir, name), { recursive: true, force: true });
    const file = join(dir, `terraform-provider-${PROVIDER_TYPE}_v${PROVIDER_VERSION}.cjs`);
    const temp = `${file}.tmp-${process.pid}`;
    copyFileSync(PROVIDER_BUNDLE, temp);
    chmodSync(temp, 0o755);
    renameSync(temp, file);
    written.push(file);
  }
  return written;
}
