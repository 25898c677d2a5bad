import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import type { TestSpecification, Vitest } from 'vitest/node'
import { SLOWEST_FILES, SlowestFirstSequencer } from './slowestFirstSequencer.js'

const root = fileURLToPath(new URL('..', import.meta.url))

/** A file as the sequencer sees it: its path, in one project, with no durations known (a fresh clone). */
function specification(path: string, size: number): TestSpecification {
  const project = { name: '', config: { sequence: { groupOrder: 0 }, isolate: true } }
  return { moduleId: `${root}${path}`, project, size } as unknown as TestSpecification
}

describe('SlowestFirstSequencer', () => {
  it('names only test files that exist, so that a renamed one is not silently left to run last', () => {
    expect(SLOWEST_FILES.filter((file) => !existsSync(`${root}${file}`) || !file.endsWith('.test.ts'))).toEqual([])
  })

  it('runs the slowest files first, in their order, and every other file in vitest’s order (largest first on a fresh clone)', async () => {
    const files = [
      specification('src/a.test.ts', 100),
      specification('src/engine/crashRecovery.test.ts', 10),
      specification('src/b.test.ts', 300),
      specification('src/engine/crashRecoveryKeeper.test.ts', 20),
      specification('src/c.test.ts', 200),
    ]
    const sizes = new Map(files.map((file) => [file.moduleId.slice(root.length), { size: (file as unknown as { size: number }).size }]))
    const ctx = {
      config: { root },
      cache: { getFileTestResults: () => undefined, getFileStats: (key: string) => sizes.get(key.replace(/^:/, '')) },
    } as unknown as Vitest
    const sorted = await new SlowestFirstSequencer(ctx).sort(files)
    expect(sorted.map((file) => file.moduleId.slice(root.length))).toEqual([
      'src/engine/crashRecoveryKeeper.test.ts',
      'src/engine/crashRecovery.test.ts',
      'src/b.test.ts',
      'src/c.test.ts',
      'src/a.test.ts',
    ])
  })
})
