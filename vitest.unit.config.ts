import { defineConfig } from 'vitest/config';

// The unit tier (`npm run test:unit`): pure tests in test/unit/, in seconds, with no engine and no
// set-up: no global set-up (nothing is compiled or built), no Docker, no cargo, no compiled CLI.
// Pure tests share no state, so they run in threads without a fresh module graph per file: that
// cuts the tier's time by half or more on a loaded 2-core machine (most of it was re-importing src/).
export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts'],
    testTimeout: 20_000,
    pool: 'threads',
    isolate: false,
    reporters: ['default', './test/summary-reporter.ts'],
  },
});
