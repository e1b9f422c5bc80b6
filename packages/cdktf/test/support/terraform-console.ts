import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * Evaluates Terraform JSON-syntax `locals` with the real Terraform (`terraform console`, which
 * needs no provider and no network) and returns `local.<name>` for every name. Proves that the
 * expressions and templates this package writes are valid Terraform and mean what we think.
 */
export async function evaluateLocals(
  locals: Record<string, unknown>,
  names: string[],
): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), 'tf-console-'));
  try {
    writeFileSync(join(dir, 'main.tf.json'), JSON.stringify({ locals }));
    const expression = `jsonencode({ ${names.map((name) => `${name} = local.${name}`).join(', ')} })`;
    const child = run(process.env.TERRAFORM_BIN ?? 'terraform', ['console', '-no-color'], {
      cwd: dir,
      env: { ...process.env, TF_IN_AUTOMATION: '1', CHECKPOINT_DISABLE: '1' },
    });
    child.child.stdin?.end(`${expression}\n`);
    const { stdout } = await child;
    const line = stdout.trim().split('\n').pop() ?? '';
    // The console prints the JSON as a quoted HCL string: unquote it, then undo template escapes.
    const json = (JSON.parse(line) as string).replaceAll('$${', '${').replaceAll('%%{', '%{');
    return JSON.parse(json) as Record<string, unknown>;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
