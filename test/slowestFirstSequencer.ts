import { BaseSequencer, type TestSpecification } from 'vitest/node'

/**
 * The test files that take longest, longest first: seconds on a 2-core machine running two files
 * at a time, from a run's own results (`node_modules/.vite/vitest/.../results.json`). Most kill
 * and restart a manager, a worker or a node many times over.
 */
export const SLOWEST_FILES: readonly string[] = [
  'src/engine/crashRecoveryKeeper.test.ts', // 77 s
  'src/engine/crashRecovery.test.ts', // 59 s (SQLite)
  'src/engine/crashRecoveryPostgres.test.ts', // 58 s (PostgreSQL)
  'test/monitorWorkers.test.ts', // 25 s
  'src/engine/crashRecoveryRpcDown.test.ts', // 17 s
  'src/interfaces/cli/runCliDemo.test.ts', // 15 s
  'src/interfaces/demo/runDemo.test.ts', // 15 s
  'src/interfaces/cli/runCliKeeper.test.ts', // 14 s
  'test/adversarial/hostileConfigs.test.ts', // 11 s
]

/**
 * Vitest's order (the last run's durations when it knows them, else the largest files first),
 * with the files of `SLOWEST_FILES` first whatever it knows. On a fresh clone there are no
 * durations yet, and the crash tests, being small files, would run last: the run would end on
 * them for minutes with the other workers idle.
 */
export class SlowestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files)
    const rank = (file: TestSpecification) => {
      const index = SLOWEST_FILES.findIndex((slow) => file.moduleId.endsWith(`/${slow}`))
      return index === -1 ? SLOWEST_FILES.length : index
    }
    // A stable sort: the other files keep vitest's order.
    return sorted
      .map((file, position) => ({ file, position, rank: rank(file) }))
      .sort((a, b) => a.rank - b.rank || a.position - b.position)
      .map(({ file }) => file)
  }
}
