import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { requireDataFiles } from './requireDataFiles.js'

const FILES = ['prices/b.csv', 'gas/g.csv', 'prices/a.csv', 'rewards/r.csv'] as const

/** Every order of a list. */
function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [[...items]]
  return items.flatMap((item, index) => permutations([...items.slice(0, index), ...items.slice(index + 1)]).map((rest) => [item, ...rest]))
}

async function rejection(promise: Promise<unknown>): Promise<{ name: string; code: string; shortMessage: string; details: string }> {
  try {
    await promise
  } catch (error) {
    return error as { name: string; code: string; shortMessage: string; details: string }
  }
  throw new Error('Expected a rejection, found none.')
}

describe('requireDataFiles', () => {
  let dir: string
  const reader = 'The test reads them'
  const put = async (file: string) => {
    await mkdir(join(dir, file, '..'), { recursive: true })
    await writeFile(join(dir, file), 'x\n')
  }

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dust-data-files-'))
  })

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('resolves when every file is there', async () => {
    for (const file of FILES) await put(file)
    await expect(requireDataFiles({ dataDir: dir, files: FILES, reader })).resolves.toBeUndefined()
  })

  it('names the one missing file with its full path, and says which folders DUST_DATA_DIR must hold', async () => {
    for (const file of FILES.filter((file) => file !== 'prices/a.csv')) await put(file)
    expect(await rejection(requireDataFiles({ dataDir: dir, files: FILES, reader }))).toMatchObject({
      name: 'SourceError',
      code: 'source_failed',
      shortMessage: `The history file ${join(dir, 'prices/a.csv')} is missing.`,
      details: 'The test reads them; set DUST_DATA_DIR to the folder that holds gas/, prices/ and rewards/.',
    })
  })

  it('names every missing file sorted by path, each once, in whatever order they are asked for', async () => {
    await put('prices/b.csv')
    const messages = new Set<string>()
    for (const files of permutations(['rewards/r.csv', 'prices/b.csv', 'prices/a.csv', 'gas/g.csv', 'gas/g.csv'])) {
      messages.add((await rejection(requireDataFiles({ dataDir: dir, files, reader }))).shortMessage)
    }
    expect([...messages]).toEqual([`3 history files are missing from ${dir}: gas/g.csv, prices/a.csv and rewards/r.csv.`])
  })

  it('counts a path through a file as a missing file, and names a folder where a file should be as a folder', async () => {
    await mkdir(join(dir, 'prices', 'a.csv'), { recursive: true })
    await put('gas/g.csv')
    const error = await rejection(requireDataFiles({ dataDir: dir, files: ['prices/a.csv', 'gas/g.csv/inner.csv'], reader }))
    expect(error.shortMessage).toBe(`2 history files cannot be read from ${dir}: gas/g.csv/inner.csv is missing, and prices/a.csv is a folder, not a file.`)
    expect((await rejection(requireDataFiles({ dataDir: dir, files: ['prices/a.csv', 'gas/g.csv'], reader }))).shortMessage).toBe(
      `The history file ${join(dir, 'prices/a.csv')} is a folder, not a file.`,
    )
    await mkdir(join(dir, 'prices', 'b.csv'))
    expect((await rejection(requireDataFiles({ dataDir: dir, files: ['prices/b.csv', 'prices/a.csv', 'gas/g.csv'], reader }))).shortMessage).toBe(
      `2 history files in ${dir} are folders, not files: prices/a.csv and prices/b.csv.`,
    )
  })

  it('says a data folder that is a file is a file, not a folder, and tells what named it to change', async () => {
    const file = join(dir, 'data.csv')
    await writeFile(file, 'x\n')
    expect(await rejection(requireDataFiles({ dataDir: file, files: FILES, reader, setBy: '--data-dir' }))).toMatchObject({
      name: 'SourceError',
      shortMessage: `The history folder ${file} is a file, not a folder.`,
      details: 'The test reads them; give --data-dir the folder that holds gas/, prices/ and rewards/.',
    })
    expect(await rejection(requireDataFiles({ dataDir: join(dir, 'none'), files: ['gas/g.csv'], reader, setBy: '--data-dir' }))).toMatchObject({
      shortMessage: `The history file ${join(dir, 'none', 'gas/g.csv')} is missing.`,
      details: 'The test reads them; give --data-dir the folder that holds gas/.',
    })
  })

  it('raises a path it cannot look at as unreadable, not as missing', async () => {
    await mkdir(join(dir, 'prices'))
    // A symbolic link to itself: stat fails with ELOOP, which no permission (the tests may run as root) can hide.
    await symlink('loop.csv', join(dir, 'prices', 'loop.csv'))
    expect(await rejection(requireDataFiles({ dataDir: dir, files: ['prices/loop.csv', 'prices/a.csv'], reader }))).toMatchObject({
      name: 'SourceError',
      shortMessage: `The history file ${join(dir, 'prices/loop.csv')} cannot be read.`,
      details: 'Expected a readable file, found ELOOP.',
    })
  })
})
