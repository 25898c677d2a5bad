import { availableParallelism } from 'node:os'
import { defineConfig } from 'vitest/config'
import { SlowestFirstSequencer } from './test/slowestFirstSequencer.js'

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // One PostgreSQL server for the run, whatever files it holds: DATABASE_URL when set, else a
    // throwaway one from npm's binaries; test files make databases of their own on it (test/createTestDatabase.ts).
    globalSetup: ['test/globalSetupPostgres.ts'],
    // A file per core: vitest's default leaves one core free, which on a 2-core machine runs the
    // files one at a time, though many of them mostly wait on a node, a child process or a database.
    maxWorkers: availableParallelism(),
    // The longest files first, so that the run does not end on one of them alone.
    sequence: { sequencer: SlowestFirstSequencer },
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
