import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const built = pathToFileURL(join(import.meta.dirname, '../dist/index.js')).href;
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function node(script: string, env: Record<string, string>) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(process.execPath, [script], { env }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
    );
  });
}

describe('runAsScript', () => {
  it('runs the script when node was started through a symlink to it (needs `pnpm build`)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lw-run-as-script-'));
    dirs.push(dir);
    writeFileSync(
      join(dir, 'main.mjs'),
      `import { runAsScript } from ${JSON.stringify(built)};
runAsScript(import.meta.url, 'probe', {
  lacework: async () => console.log('probe: ran'),
  emulator: async () => console.log('probe: ran with the emulator'),
});
`,
    );
    symlinkSync(dir, join(dir, '..', `${dir.split('/').pop()}-link`));
    dirs.push(`${dir}-link`);
    const env = {
      PATH: process.env.PATH ?? '',
      LW_API_KEY: 'PROBE_0123456789ABCDEF',
      LW_API_SECRET: '_probe0secret0never0used',
      LW_API_SERVER_URL: 'http://127.0.0.1:9',
    };
    const direct = await node(join(dir, 'main.mjs'), env);
    expect(direct).toMatchObject({ code: 0, stdout: 'probe: ran\n' });
    const linked = await node(join(`${dir}-link`, 'main.mjs'), env);
    expect(linked).toMatchObject({ code: 0, stdout: 'probe: ran\n' });
  });
});
