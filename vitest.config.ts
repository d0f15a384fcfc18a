import { defineConfig } from 'vitest/config';

// Every test (`npm test`): the unit tier (test/unit/, also run alone by vitest.unit.config.ts) and the
// integration tests, which start real containers, Wasm hosts and processes: generous timeouts, and
// test files run one at a time so that two of them never compete for the machine's two cores.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['./test/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    fileParallelism: false,
    reporters: ['default', './test/summary-reporter.ts'],
  },
});
