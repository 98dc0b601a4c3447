import { defineConfig } from 'vitest/config';

/** One vitest config pattern for every package: tests beside the code, benches excluded. */
export const sharedVitestConfig = defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**', 'bench/**'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
