import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    // .ci/run asks for a JSON report too (to print its plain "N passed, N failed" line).
    reporters: process.env['LEAKGUARD_TEST_JSON'] ? ['default', 'json'] : ['default'],
    ...(process.env['LEAKGUARD_TEST_JSON'] ? { outputFile: { json: process.env['LEAKGUARD_TEST_JSON'] } } : {}),
    include: ['packages/*/src/**/*.test.ts', 'tests/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
