import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { PROVIDER_CLI } from '../support/terraform.js';

// The package's CLI as users run it (built): `lacework-auth-terraform-provider install`.

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'lw-install-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cli = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  run(process.execPath, [PROVIDER_CLI, ...args], { env: { PATH: process.env.PATH, ...env } });

describe('lacework-auth-terraform-provider', () => {
  it('install lays the provider out as a filesystem mirror, the same file for every platform', async () => {
    const pluginDir = join(dir, 'mirror');
    const { stdout } = await cli([
      'install',
      '--plugin-dir',
      pluginDir,
      '--platform',
      'linux_amd64',
      '--platform',
      'darwin_arm64',
    ]);
    const { stdout: bundlePath } = await cli(['path']);
    const bundle = readFileSync(bundlePath.trim());
    const { version } = JSON.parse(
      readFileSync(new URL('../../package.json', import.meta.url), 'utf8'),
    );
    for (const platform of ['linux_amd64', 'darwin_arm64']) {
      const file = join(
        pluginDir,
        'terraform.local/lacework-auth/lacework-auth',
        version,
        platform,
        `terraform-provider-lacework-auth_v${version}.cjs`,
      );
      expect(stdout).toContain(`installed ${file}`);
      expect(statSync(file).mode & 0o777).toBe(0o755);
      expect(readFileSync(file).equals(bundle)).toBe(true);
    }
    // A custom directory needs a CLI config: the output gives it.
    expect(stdout).toContain('filesystem_mirror {');
    expect(stdout).toContain('include = ["terraform.local/lacework-auth/lacework-auth"]');
  });

  it('install defaults to $HOME/.terraform.d/plugins and leaves no stale executable behind', async () => {
    const home = join(dir, 'home');
    await cli(['install'], { HOME: home });
    const { stdout } = await cli(['install'], { HOME: home });
    const file = stdout.match(/installed (\S+)/)?.[1] as string;
    expect(file.startsWith(join(home, '.terraform.d', 'plugins', 'terraform.local'))).toBe(true);
    writeFileSync(`${file}.old`, '#!/bin/sh\n');
    await cli(['install'], { HOME: home });
    expect(() => statSync(`${file}.old`)).toThrow();
  });

  it('rejects a bad platform and an unknown command with usage', async () => {
    await expect(cli(['install', '--platform', 'linux/amd64'])).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--platform "linux/amd64" is not a Terraform platform'),
    });
    await expect(cli(['install', '--plugin-dri', 'x'])).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining("unknown option '--plugin-dri'. Did you mean --plugin-dir?"),
    });
    await expect(cli(['install', '--platfrom', 'x'])).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('Did you mean --platform?'),
    });
    await expect(cli(['install', '--_abcdef0123456789abcdef'])).rejects.toMatchObject({
      code: 2,
      stderr: expect.not.stringContaining('abcdef0123456789'),
    });
    await expect(cli(['uninstall'])).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('Usage: lacework-auth-terraform-provider install'),
    });
  });

  it('--json prints what install and path did as one line of JSON', async () => {
    const pluginDir = join(dir, 'json-mirror');
    const { stdout } = await cli(['install', '--json', '--plugin-dir', pluginDir]);
    const result = JSON.parse(stdout) as {
      installed: string[];
      pluginDir: string;
      cliConfig: string;
    };
    expect(result.pluginDir).toBe(pluginDir);
    expect(result.installed).toHaveLength(1);
    expect(statSync(result.installed[0] as string).mode & 0o777).toBe(0o755);
    expect(result.cliConfig).toContain(`path    = "${pluginDir}"`);
    const { stdout: path } = await cli(['path', '--json']);
    expect(JSON.parse(path)).toEqual({ path: expect.stringMatching(/\.cjs$/) });
  });

  it('the provider executable refuses to run outside Terraform (no go-plugin handshake)', async () => {
    const { stdout: bundlePath } = await cli(['path']);
    await expect(
      run(bundlePath.trim(), [], { env: { PATH: process.env.PATH } }),
    ).rejects.toMatchObject({
      code: 1,
      stdout: '',
      stderr: expect.stringContaining('is a Terraform plugin: Terraform starts it'),
    });
  });
});
