import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 90000,
    hookTimeout: 60000,
    reporters: ['default', ['json', { outputFile: '.test-results.json' }]],
  },
});
