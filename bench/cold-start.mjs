// Cold start: a fresh Node process importing @lacework-auth/core vs one importing ky (core's
// HTTP client, its floor), median import time and whole-process time; and the installed size of
// core's production dependencies (what `npm i @lacework-auth/core` adds besides core itself).
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, quick, writeResult } from './lib/support.mjs';

const ROUNDS = quick ? 5 : 25;
const here = dirname(fileURLToPath(import.meta.url));

function importMs(specifier) {
  const started = performance.now();
  const out = execFileSync(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `const t = performance.now(); await import(${JSON.stringify(specifier)}); console.log(performance.now() - t);`,
    ],
    { cwd: here, encoding: 'utf8' },
  );
  return { importMs: Number(out.trim()), processMs: performance.now() - started };
}

const samples = { core: [], ky: [], nothing: [] };
const specifiers = { core: '@lacework-auth/core', ky: 'ky', nothing: 'node:os' };
for (let round = -1; round < ROUNDS; round++) {
  const order = round % 2 ? ['core', 'ky', 'nothing'] : ['nothing', 'ky', 'core'];
  for (const name of order) {
    const sample = importMs(specifiers[name]);
    if (round >= 0) samples[name].push(sample);
  }
}
const cold = Object.fromEntries(
  Object.entries(samples).map(([name, list]) => [
    name,
    {
      importMs: median(list.map((s) => s.importMs)),
      processMs: median(list.map((s) => s.processMs)),
    },
  ]),
);

/** The package directory of `name` as seen from `fromDir` (node_modules lookup, symlinks resolved). */
function packageDir(name, fromDir) {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return realpathSync(candidate);
    if (dirname(dir) === dir) throw new Error(`cannot find ${name} from ${fromDir}`);
  }
}

function bytesBelow(dir) {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules') continue;
    const path = join(dir, entry.name);
    total += entry.isDirectory() ? bytesBelow(path) : statSync(path).size;
  }
  return total;
}

const coreDir = packageDir('@lacework-auth/core', here);
const seen = new Map();
const queue = Object.keys(
  JSON.parse(readFileSync(join(coreDir, 'package.json'), 'utf8')).dependencies ?? {},
).map((name) => [name, coreDir]);
while (queue.length) {
  const [name, from] = queue.shift();
  const dir = packageDir(name, from);
  if (seen.has(dir)) continue;
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  seen.set(dir, { name, version: manifest.version, bytes: bytesBelow(dir) });
  for (const dep of Object.keys(manifest.dependencies ?? {})) queue.push([dep, dir]);
}
const dependencies = [...seen.values()];
const depsBytes = dependencies.reduce((sum, d) => sum + d.bytes, 0);
const coreDistBytes = bytesBelow(join(coreDir, 'dist'));

const kib = (bytes) => `${(bytes / 1024).toFixed(0)} KiB`;
console.log(`\ncold start, median of ${ROUNDS} fresh processes`);
for (const [name, label] of [
  ['core', "import('@lacework-auth/core')"],
  ['ky', "import('ky')"],
  ['nothing', "import('node:os') (node itself)"],
]) {
  console.log(
    `  ${label}: ${cold[name].importMs.toFixed(1)} ms import, ${cold[name].processMs.toFixed(0)} ms process`,
  );
}
console.log(
  `  core's production dependencies: ${dependencies.map((d) => `${d.name}@${d.version} ${kib(d.bytes)}`).join(', ')} = ${kib(depsBytes)} (core's own dist: ${kib(coreDistBytes)})`,
);
console.log(
  `results written to ${await writeResult('cold-start', { rounds: ROUNDS, cold, samples, dependencies, depsBytes, coreDistBytes })}`,
);
