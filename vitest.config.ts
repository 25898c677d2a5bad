import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // One PostgreSQL server for the run, whatever files it holds: DATABASE_URL when set, else a
    // throwaway one from npm's binaries; test files make databases of their own on it (test/createTestDatabase.ts).
    globalSetup: ['test/globalSetupPostgres.ts'],
    coverage: {
      provider: 'v8',
      include: ['src/**/*.ts'],
      // Ports are types only; main.ts is the process entry, run end to end by test/cliProcess.test.ts
      // in a child process, where in-process coverage cannot follow.
      exclude: ['src/**/*.test.ts', 'src/**/index.ts', 'src/ports/**', 'src/interfaces/cli/main.ts'],
      thresholds: { lines: 80, branches: 80, functions: 80, statements: 80 },
      reporter: ['text-summary', 'text'],
    },
  },
})
