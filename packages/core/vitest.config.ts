import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'conformance/**/*.test.ts'],
    // Property tests replay one fixed seed (FC_SEED=random: `pnpm test:fuzz`).
    setupFiles: ['@lacework-auth/test-kit/property-seed'],
    // Most tests wait on sockets, timers and child processes rather than the CPU, so a few more
    // workers than cores shortens the run on small machines.
    pool: 'threads',
    maxWorkers: 4,
    testTimeout: 20_000,
  },
});
