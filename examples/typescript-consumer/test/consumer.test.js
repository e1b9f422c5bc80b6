// @ts-check
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

// Packs every package with `pnpm pack` (what npm would publish), puts the tarballs' contents in
// the node_modules of one temporary project with their real dependencies, and type-checks a
// consumer with the TypeScript of this repository (6.x: `types` defaults to none) for each
// module setting, ESM and CommonJS, and each package alone, with skipLibCheck off. Only errors in
// the consumer or in the published .d.ts files fail the test.

const root = fileURLToPath(new URL('../../../', import.meta.url));
const here = fileURLToPath(new URL('../', import.meta.url));
const PACKAGES = ['core', 'emulator', 'postman', 'express', 'cdktf', 'redis'];
/** Type packages a consumer installs itself, with the runtime peers they type. */
const CONSUMER_TYPES = ['@types/node', '@types/express', 'express'];

/** @type {string} */
let project;
/** @type {string} */
let tsc;

before(() => {
  project = mkdtempSync(join(tmpdir(), 'lw-ts-consumer-'));
  const tarballs = join(project, 'tarballs');
  mkdirSync(tarballs);
  const modules = join(project, 'node_modules');
  mkdirSync(join(modules, '@lacework-auth'), { recursive: true });
  /** @type {Set<string>} */
  const linked = new Set();
  /** @param {string} name @param {string} from */
  const link = (name, from) => {
    if (linked.has(name)) return;
    let target;
    try {
      target = realpathSync(join(from, 'node_modules', name));
    } catch {
      return; // an optional peer the workspace does not install
    }
    mkdirSync(dirname(join(modules, name)), { recursive: true });
    symlinkSync(target, join(modules, name), 'dir');
    linked.add(name);
  };
  for (const name of PACKAGES) {
    const dir = join(root, 'packages', name);
    execFileSync('pnpm', ['pack', '--pack-destination', tarballs], { cwd: dir, stdio: 'pipe' });
    const tarball = readdirSync(tarballs).find(
      (file) => file.startsWith(`lacework-auth-${name}-`) && file.endsWith('.tgz'),
    );
    assert.ok(tarball, `pnpm pack made no tarball for ${name}`);
    const destination = join(modules, '@lacework-auth', name);
    mkdirSync(destination);
    execFileSync('tar', [
      '-xzf',
      join(tarballs, tarball),
      '-C',
      destination,
      '--strip-components=1',
    ]);
    const manifest = JSON.parse(readFileSync(join(destination, 'package.json'), 'utf8'));
    for (const group of ['dependencies', 'peerDependencies']) {
      for (const dependency of Object.keys(manifest[group] ?? {})) {
        if (!dependency.startsWith('@lacework-auth/')) link(dependency, dir);
      }
    }
  }
  for (const name of CONSUMER_TYPES) link(name, join(root, 'packages', 'express'));
  tsc = createRequire(join(root, 'package.json')).resolve('typescript/bin/tsc');
});

after(() => {
  if (project) rmSync(project, { recursive: true, force: true });
});

/**
 * Type-checks `entry` (a file of consumer/) in its own copy of the project, with the
 * package.json `type` and `compilerOptions` given; returns the errors that concern our code.
 *
 * @param {{ type: 'module' | 'commonjs', entry: string, compilerOptions: Record<string, unknown> }} setting
 * @returns {Promise<{ status: number | null, errors: string[], all: string[] }>}
 */
async function typecheck({ type, entry, compilerOptions }) {
  const dir = mkdtempSync(join(project, 'run-'));
  symlinkSync(join(project, 'node_modules'), join(dir, 'node_modules'), 'dir');
  cpSync(join(here, 'consumer'), join(dir, 'src'), { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', type }));
  const config = {
    // TypeScript's defaults otherwise: no `types`, so only what the packages bring is loaded.
    compilerOptions: { strict: true, noEmit: true, skipLibCheck: false, ...compilerOptions },
    files: [`src/${entry}`],
  };
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(config));
  const child = spawn(process.execPath, [tsc, '-p', 'tsconfig.json', '--pretty', 'false'], {
    cwd: dir,
  });
  let output = '';
  child.stdout.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr.on('data', (chunk) => {
    output += chunk;
  });
  const status = await new Promise((resolve) => child.on('close', resolve));
  const all = output.split('\n').filter((line) => line.trim());
  // Errors in the consumer or in our .d.ts files; a third-party library's own are not ours.
  const errors = all.filter((line) =>
    /^(src\/|(\.\.\/)*node_modules\/@lacework-auth\/)/.test(line),
  );
  return { status: /** @type {number | null} */ (status), errors, all };
}

/** @type {[string, 'module' | 'commonjs', string, Record<string, unknown>][]} */
const SETTINGS = [
  ['ESM, module nodenext', 'module', 'all.ts', { module: 'nodenext' }],
  ['ESM, module node16', 'module', 'all.ts', { module: 'node16' }],
  [
    'ESM, moduleResolution bundler',
    'module',
    'all.ts',
    { module: 'preserve', moduleResolution: 'bundler' },
  ],
  [
    'CommonJS, module nodenext (require of ES modules)',
    'commonjs',
    'all.ts',
    { module: 'nodenext' },
  ],
  ['CommonJS, module node16 (import())', 'commonjs', 'all-dynamic.ts', { module: 'node16' }],
];

describe('the published .d.ts files with default `types`', { concurrency: 2 }, () => {
  for (const [title, type, entry, compilerOptions] of SETTINGS) {
    test(`all packages: ${title}`, async () => {
      const result = await typecheck({ type, entry, compilerOptions });
      assert.deepEqual(result.errors, [], result.all.join('\n'));
      assert.equal(result.status, 0, result.all.join('\n'));
    });
  }
  // Together, express's and redis's types load Node's, which would hide a .d.ts of another package
  // that needs them: the others are checked once more without them.
  test('core, emulator, postman and cdktf without Node.js types, ESM, module nodenext', async () => {
    const result = await typecheck({
      type: 'module',
      entry: 'no-node-types.ts',
      compilerOptions: { module: 'nodenext' },
    });
    assert.deepEqual(result.errors, [], result.all.join('\n'));
    assert.equal(result.status, 0, result.all.join('\n'));
  });
});
