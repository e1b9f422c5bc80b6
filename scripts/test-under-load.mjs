#!/usr/bin/env node
// `pnpm test:under-load`: the test command with a CPU-bound process per core beside it, to check
// that no test depends on the machine being idle. Arguments go to `pnpm test` (none by default).
import { spawn } from 'node:child_process';
import os from 'node:os';

const burners = Array.from({ length: os.availableParallelism() }, () =>
  spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }),
);
console.log(`test:under-load: ${burners.length} CPU-bound process(es) running beside the tests`);
const test = spawn('pnpm', ['test', ...process.argv.slice(2)], { stdio: 'inherit' });
const stop = () => {
  for (const burner of burners) burner.kill('SIGKILL');
};
process.on('SIGINT', () => test.kill('SIGINT'));
test.on('exit', (code, signal) => {
  stop();
  process.exitCode = code ?? (signal ? 1 : 0);
});
