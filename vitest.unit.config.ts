import { defineConfig } from 'vitest/config';

// The unit tier (`npm run test:unit`): pure tests in test/unit/, in seconds, with no engine and no
// set-up: no global set-up (nothing is compiled or built), no Docker, no cargo, no compiled CLI.
export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts'],
    testTimeout: 20_000,
    reporters: ['default', './test/summary-reporter.ts'],
  },
});
