import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Browser and CLI tests start real processes, and most start a browser that uses both cores
    // itself: one test file at a time, so that no test measures or prints under another's load.
    testTimeout: 180_000,
    hookTimeout: 180_000,
    fileParallelism: false,
    maxWorkers: 1,
  },
});
