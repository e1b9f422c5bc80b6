// The client-vs-ky row of bench/core/run.mjs is measured in child processes (each with an emulator
// process of its own): they measure with the options the bench was given, and none outlives the
// bench when it is killed.
import { execFileSync, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const script = fileURLToPath(new URL('../core/run.mjs', import.meta.url));
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A process's state letter and parent, from /proc (Linux), or undefined when it is gone. */
function stat(pid) {
  try {
    // `pid (comm) state ppid …`: comm may hold spaces and parentheses, so read after the last ')'.
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const [state, ppid] = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { state, ppid: Number(ppid) };
  } catch {
    return undefined;
  }
}

/** Live processes under `root` (zombies, which have exited, left out). */
function descendants(root) {
  const table = readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map((name) => ({ pid: Number(name), ...stat(name) }))
    .filter((row) => row.state !== undefined);
  const found = [];
  const walk = (parent) => {
    for (const row of table) {
      if (row.ppid !== parent || row.state === 'Z') continue;
      found.push(row.pid);
      walk(row.pid);
    }
  };
  walk(root);
  return found;
}

function alive(pid) {
  const now = stat(pid);
  return now !== undefined && now.state !== 'Z';
}

it('the overhead row is measured with the --concurrency given', { timeout: 180_000 }, async () => {
  const output = execFileSync(
    process.execPath,
    [script, '--only', 'overhead', '--processes', '1', '--concurrency', '3'],
    { encoding: 'utf8' },
  );
  expect(output).toMatch(/1 processes × \d+ rounds × \d+ calls, concurrency 3\)/);
});

it('killing the bench leaves no measuring or emulator process behind', {
  timeout: 90_000,
}, async () => {
  // A measurement of hours: only the bench's end can stop its processes within the test.
  const bench = spawn(
    process.execPath,
    [script, '--only', 'overhead', '--processes', '1', '--rounds', '1000', '--requests', '2000'],
    { stdio: 'ignore' },
  );
  let children = [];
  try {
    // The measuring process and its emulator process.
    for (let waited = 0; children.length < 2 && waited < 60_000; waited += 100) {
      await sleep(100);
      children = descendants(bench.pid);
    }
    expect(children).toHaveLength(2);
    bench.kill('SIGKILL');
    // Generous for a process to notice its parent is gone and exit, far short of the measurement.
    for (let waited = 0; children.some(alive) && waited < 5000; waited += 100) await sleep(100);
    expect(children.filter(alive)).toEqual([]);
  } finally {
    bench.kill('SIGKILL');
    for (const pid of children.filter(alive)) process.kill(pid, 'SIGKILL');
  }
});
