import { defineConfig } from 'vitest/config';

// Three tiers (CONVENTIONS.md): unit (pure, *.test.ts), medium (real NATS/PostgreSQL,
// *.medium.test.ts) and integration-tests/ (whole services, real clients).
export default defineConfig({
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['libs/*/src/**/*.test.ts', 'services/*/src/**/*.test.ts', 'deploy/*/src/**/*.test.ts'],
          exclude: ['**/*.medium.test.ts', '**/node_modules/**'],
        },
      },
      {
        extends: true,
        test: {
          name: 'medium',
          include: ['libs/*/src/**/*.medium.test.ts', 'services/*/src/**/*.medium.test.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['integration-tests/src/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
