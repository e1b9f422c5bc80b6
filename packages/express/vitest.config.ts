import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Property tests replay one fixed seed (FC_SEED=random: `pnpm test:fuzz`).
    setupFiles: ['@lacework-auth/test-kit/property-seed'],
  },
});
