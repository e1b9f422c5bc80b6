import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The built package: child processes run the real `dist/` output (build before testing). */
export const DIST_INDEX = fileURLToPath(new URL('../../dist/index.js', import.meta.url));
export const DIST_CLI = fileURLToPath(new URL('../../dist/cli/lacework-token.js', import.meta.url));
export const DIST_API_CLI = fileURLToPath(
  new URL('../../dist/cli/lacework-api.js', import.meta.url),
);

/** Fails clearly when `pnpm build` has not run. */
export function assertBuilt(): void {
  if (!existsSync(DIST_INDEX) || !existsSync(DIST_CLI) || !existsSync(DIST_API_CLI)) {
    throw new Error('packages/core/dist is missing: run `pnpm build` in packages/core first.');
  }
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `node <args>` with exactly `env` (plus PATH), collecting output; `stdin` is piped in. */
export function runNode(
  args: string[],
  env: Record<string, string>,
  timeoutMs = 15_000,
  stdin?: string,
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: [stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    child.stdin?.end(stdin);
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr?.on('data', (chunk) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
