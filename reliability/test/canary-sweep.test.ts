// Canary sweep: the demo, every CLI (lacework-token, lacework-postman, lacework-emulator) and the
// benchmarks run with a canary secret, against an emulator that knows the canary key. Every
// output and every file they wrote (their HOME, cache, TMPDIR, output and results directories,
// and any file in the repository changed meanwhile) is searched: the canary must not appear.
// The fault matrix does the same for every error path of every consumer.
import { execFile, spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmulator } from '@lacework-auth/emulator';
import { expect, it } from 'vitest';
import { CANARY_KEY, CANARY_SECRET, filesContaining } from './support/canary.js';

const require = createRequire(import.meta.url);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** A package's first bin, from its package.json (core's moved to dist/cli/lacework-token.js). */
const binOf = (pkg: string) => {
  const manifest = require(`${pkg}/package.json`) as { bin: Record<string, string> };
  const [bin] = Object.values(manifest.bin);
  return join(dirname(require.resolve(`${pkg}/package.json`)), bin as string);
};

interface Run {
  label: string;
  code: number | string;
  output: string;
}

function run(label: string, args: string[], env: Record<string, string>, cwd = ROOT): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      args,
      { cwd, env, timeout: 240_000, maxBuffer: 64 * 2 ** 20 },
      (error, stdout, stderr) => {
        const code = error ? (error.code ?? error.signal ?? 'error') : 0;
        resolve({ label, code: code as number | string, output: `${stdout}\n${stderr}` });
      },
    );
  });
}

/** The emulator's CLI: started, read until its banner, stopped with SIGTERM. */
function emulatorCli(env: Record<string, string>): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [binOf('@lacework-auth/emulator'), '--port', '0'], {
      env,
    });
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (output.includes('LW_API_SECRET=')) child.kill('SIGTERM');
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) =>
      resolve({ label: 'lacework-emulator', code: code ?? 'signal', output }),
    );
  });
}

/** Files below `dir` changed since `since` (ms), skipping dependencies, VCS and build caches. */
async function changedSince(dir: string, since: number): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (['node_modules', '.git', '.turbo'].includes(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...(await changedSince(path, since)));
    else if (entry.isFile() && (await stat(path)).mtimeMs >= since) found.push(path);
  }
  return found;
}

it('the canary secret appears in no output and no written file', async () => {
  const started = Date.now();
  const emu = await startEmulator({ rateLimit: false, keys: [CANARY_KEY] });
  const work = await mkdtemp(join(tmpdir(), 'lw-canary-sweep-'));
  const dirs = Object.fromEntries(
    ['home', 'cache', 'tmp', 'out', 'results', 'inputs'].map((name) => [name, join(work, name)]),
  );
  await Promise.all(Object.values(dirs).map((dir) => mkdir(dir, { recursive: true })));
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: dirs.home as string,
    XDG_CACHE_HOME: dirs.cache as string,
    TMPDIR: dirs.tmp as string,
    LW_API_SERVER_URL: emu.url,
    LW_API_KEY: CANARY_KEY.keyId,
    LW_API_SECRET: CANARY_SECRET,
    LW_BENCH_KEY_ID: CANARY_KEY.keyId,
    LW_BENCH_SECRET: CANARY_SECRET,
    LW_BENCH_RESULTS_DIR: dirs.results as string,
  };
  // An input holding the secret on purpose: the search must find it (control), then skip it.
  const keyFile = join(dirs.inputs as string, 'key.json');
  await writeFile(keyFile, JSON.stringify({ ...CANARY_KEY, account: 'canary' }), { mode: 0o600 });
  const out = (name: string) => join(dirs.out as string, name);
  const token = binOf('@lacework-auth/core');
  const postman = binOf('@lacework-auth/postman');
  try {
    const runs: Run[] = [];
    runs.push(await run('pnpm demo', ['scripts/demo.mjs'], env));
    for (const args of [
      ['--json'],
      [],
      ['--nocache'],
      ['--help'],
      ['--version'],
      ['--bogus'],
      ['--expiry', '0'],
      ['--key-file', keyFile, '--json'],
    ]) {
      runs.push(await run(`lacework-token ${args.join(' ')}`, [token, ...args], env));
    }
    runs.push(
      await run('lacework-token, unknown key', [token], {
        ...env,
        LW_API_KEY: 'CANARY_UNKNOWN_0123456789ABCDEF0123456789AB',
      }),
      await run('lacework-token, nothing listening', [token, '--nocache'], {
        ...env,
        LW_API_SERVER_URL: 'http://127.0.0.1:9',
      }),
    );
    for (const args of [
      ['collection', '-o', out('collection.json')],
      ['script', '-o', out('script.js')],
      ['inject', out('collection.json'), '-o', out('injected.json')],
      ['environment', '-o', out('environment.json')],
      ['environment', '--key-file', keyFile, '-o', out('from-key-file.json')],
      // (A secret pasted as --key-id: test/postman-misplaced-key-id.test.ts, a finding.)
      ['collection', '--name', CANARY_SECRET, '--bogus'],
    ]) {
      runs.push(await run(`lacework-postman ${args[0]}`, [postman, ...args], env));
    }
    runs.push(await emulatorCli(env));
    runs.push(await run('bench (quick)', ['bench/run.mjs', '--quick'], env));
    runs.push(
      await run(
        'bench/core',
        ['bench/core/run.mjs', '--requests', '20', '--rounds', '1', '--processes', '1'],
        env,
      ),
    );

    console.log(`\nCanary sweep: ${runs.map((r) => `${r.label} → ${r.code}`).join('; ')}`);
    // The runs did what they should (so the search below looked at real output).
    const byLabel = (label: string) => runs.find((r) => r.label === label);
    expect(byLabel('pnpm demo')?.code).toBe(0);
    expect(byLabel('lacework-token --json')?.code).toBe(0);
    expect(byLabel('lacework-token, unknown key')?.output).toMatch(/ERR_LW_KEY_REJECTED/);
    expect(byLabel('bench (quick)')?.code).toBe(0);
    expect(byLabel('bench/core')?.code).toBe(0);
    expect(emu.stats().exchanges).toBeGreaterThan(3);
    expect(await readFile(out('environment.json'), 'utf8')).toContain(CANARY_KEY.keyId);
    // Control: the search finds the secret where it was put.
    expect(await filesContaining(dirs.inputs as string, CANARY_SECRET)).toEqual([keyFile]);

    expect(runs.filter((r) => r.output.includes(CANARY_SECRET)).map((r) => r.label)).toEqual([]);
    await rm(dirs.inputs as string, { recursive: true });
    expect(await filesContaining(work, CANARY_SECRET)).toEqual([]);
    const changed = await changedSince(ROOT, started);
    const leaking: string[] = [];
    for (const file of changed) {
      if ((await readFile(file, 'latin1')).includes(CANARY_SECRET)) leaking.push(file);
    }
    expect(leaking).toEqual([]);
  } finally {
    await emu.close();
    await rm(work, { recursive: true, force: true });
  }
}, 300_000);
