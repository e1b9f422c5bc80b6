import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Bundles the sandbox script from sandbox/lacework-auth.ts and core's protocol module first:
    // the tests run what Postman will run.
    globalSetup: ['scripts/build-sandbox.mjs'],
    // Forks, not threads: the newman helper swaps process.stdout.write to capture newman's CLI
    // reporter, which must not leak into another test file's worker.
    pool: 'forks',
    maxWorkers: 3,
    // The Postman CLI starts a packaged app per run (about 2-3 s each).
    testTimeout: 60_000,
    hookTimeout: 20_000,
  },
});
