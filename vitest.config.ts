import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    env: { TZ: 'UTC' },
    // Vitest's default is one worker less than the cores, which on CI's two cores ran every file one after
    // another (87 min of 90). Most integration files wait on child processes, servers and the database, so
    // two files at a time fit on two cores. Each file has its own database and its own ports; browser
    // journeys still run one at a time (fileParallelism below).
    maxWorkers: Math.max(2, availableParallelism() - 1),
    setupFiles: ['tests/support/fail-on-console-error.ts'],
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['src/domain/**/*.test.ts', 'src/web/**/*.test.ts'] },
      },
      {
        // German spelling and terms of every text a user reads; runs once (CI's PostgreSQL leg runs only integration).
        extends: true,
        test: { name: 'content', include: ['tests/content/**/*.test.ts'] },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['src/services/**/*.test.ts', 'src/server/**/*.test.ts', 'src/db/**/*.test.ts', 'src/cli/**/*.test.ts', 'tests/integration/**/*.test.ts'],
          // A guard against hangs, not a speed check (that is `npm run bench`): with two files at once on
          // two cores, CLI and resident-survey tests that spawn processes took up to 55 s of the old 60.
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
