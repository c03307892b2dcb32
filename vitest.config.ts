import { defineConfig } from 'vitest/config';

// Unit tests sit beside the code (x.test.ts); cross-cutting suites live in test/.
// The JSON report lets .ci/run print one "N passed, N failed" line.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'emulator/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    reporters: ['default', ['json', { outputFile: '.test-results/results.json' }]],
  },
});
