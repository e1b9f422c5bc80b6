import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Forks: newman's CLI reporter writes to process.stdout (captured by the canary sweep), and the
    // soak measures its own process's heap.
    pool: 'forks',
    maxWorkers: 3,
    testTimeout: 240_000,
    hookTimeout: 60_000,
  },
});
