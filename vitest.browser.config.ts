import { defineConfig } from 'vitest/config'

// The dashboard's tests in a real Chromium (`npm run test:browser`): apart from `npm test`, which
// needs Node alone. They start the demo world on a local chain and `dust serve`'s HTTP server.
export default defineConfig({
  test: {
    include: ['test/browser/**/*.browser.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    fileParallelism: false,
  },
})
