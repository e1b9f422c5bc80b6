// The benchmarks of @lacework-auth/bench, one process each (day.mjs fakes the clock), in turn.
// `--quick` runs reduced sizes. Results: bench/results/<name>.json; `node summary.mjs` tabulates.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const quick = process.argv.includes('--quick') ? ['--quick'] : [];
for (const name of ['token', 'day', 'newman', 'cdktf', 'cold-start']) {
  execFileSync(
    process.execPath,
    [fileURLToPath(new URL(`${name}.mjs`, import.meta.url)), ...quick],
    {
      stdio: 'inherit',
    },
  );
}
