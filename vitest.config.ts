import { defineConfig } from 'vitest/config';

// Integration tests start real containers, Wasm hosts and processes: generous timeouts, and test
// files run one at a time so that two of them never compete for the machine's two cores.
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
