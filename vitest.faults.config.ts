import { defineConfig } from 'vitest/config';

/**
 * `npm run test:faults`: full disks, read-only workspaces and kills at random points of real
 * processes, each followed by a check that nothing the user made is lost. Slow, so apart from
 * the unit tests; the summary prints the count of cases and what was lost.
 */
export default defineConfig({
  test: {
    include: ['electron/**/*.faults.test.ts'],
    environment: 'node',
    testTimeout: 180_000,
    hookTimeout: 60_000,
    pool: 'forks',
    fileParallelism: false,
    globalSetup: ['scripts/faultsSummary.ts'],
  },
});
