import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Tests that spawn bin/stackdebug.cjs need dist/: build it once before any test runs.
    globalSetup: ['test/setup-build.ts'],
    testTimeout: 30_000,
  },
});
