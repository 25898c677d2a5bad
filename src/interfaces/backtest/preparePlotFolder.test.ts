import { mkdir, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { backtestPlotFiles, preparePlotFolder } from './plotBacktest.js'

let dir: string

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dust-plot-folder-'))
})

afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('preparePlotFolder', () => {
  it('accepts a missing folder without making it, and one that holds earlier plots', async () => {
    const plots = join(dir, 'a', 'b', 'plots')
    await preparePlotFolder(plots)
    // Checked, not made: a replay that fails after this leaves nothing behind.
    expect(await readdir(dir)).toEqual([])
    await mkdir(plots, { recursive: true })
    for (const file of backtestPlotFiles(plots)) await writeFile(file, 'an earlier plot')
    await expect(preparePlotFolder(plots)).resolves.toBeUndefined()
  })

  it('accepts a folder reached through a symbolic link', async () => {
    await mkdir(join(dir, 'real'))
    await symlink(join(dir, 'real'), join(dir, 'link'))
    await expect(preparePlotFolder(join(dir, 'link', 'plots'))).resolves.toBeUndefined()
    expect(await readdir(join(dir, 'real'))).toEqual([])
    await mkdir(join(dir, 'real', 'plots'))
    await mkdir(join(dir, 'real', 'plots', 'frontier.png'))
    await expect(preparePlotFolder(join(dir, 'link', 'plots'))).rejects.toMatchObject({
      name: 'UsageError',
      shortMessage: `The plot file ${join(dir, 'link', 'plots', 'frontier.png')} is a folder, not a file.`,
    })
  })

  it('refuses a file in the way with a UsageError that names it, making nothing', async () => {
    const file = join(dir, 'afile')
    await writeFile(file, '')
    await expect(preparePlotFolder(file)).rejects.toMatchObject({ name: 'UsageError', shortMessage: `The plots folder ${file} is a file, not a folder.` })
    await expect(preparePlotFolder(join(file, 'x', 'y'))).rejects.toMatchObject({
      name: 'UsageError',
      shortMessage: `The plots folder ${join(file, 'x', 'y')} cannot be made: ${file} is a file, not a folder.`,
      details: `Expected every existing parent of --plots to be a folder, found a file at ${file}.`,
    })
    expect(await readdir(dir)).toEqual(['afile'])
  })

  it('refuses a symbolic link to a missing target, as the folder or under it, making nothing', async () => {
    const link = join(dir, 'plots')
    await symlink(join(dir, 'unmounted', 'share'), link)
    const refusal = (path: string) => ({
      name: 'UsageError',
      shortMessage: `The plots folder ${path} cannot be made: ${link} is a symbolic link to a missing target.`,
      details: `Expected --plots and its parents to be folders, links to folders, or missing, found a link to nothing at ${link}.`,
    })
    await expect(preparePlotFolder(link)).rejects.toMatchObject(refusal(link))
    await expect(preparePlotFolder(join(link, 'a', 'b'))).rejects.toMatchObject(refusal(join(link, 'a', 'b')))
    expect(await readdir(dir)).toEqual(['plots'])
  })

  it('refuses a folder where no folder can be made, as the file system itself says, even for root', async () => {
    // /sys takes no new folder, whoever asks: `access` would let root through, a real mkdir does not.
    await expect(preparePlotFolder('/sys/dust-plots')).rejects.toMatchObject({ name: 'UsageError', shortMessage: 'The plots folder /sys/dust-plots cannot be made in /sys.' })
    // The probe leaves nothing behind in a folder that takes it.
    await preparePlotFolder(join(dir, 'plots'))
    expect(await readdir(dir)).toEqual([])
  })

  it('refuses a folder where a plot file goes, naming the first in the order the plots are written', async () => {
    await mkdir(join(dir, 'frontier.svg'))
    await mkdir(join(dir, 'dust_ratio.png'))
    await expect(preparePlotFolder(dir)).rejects.toMatchObject({ name: 'UsageError', shortMessage: `The plot file ${join(dir, 'dust_ratio.png')} is a folder, not a file.` })
  })

  it('lists the six plot files in the order they are written', () => {
    expect(backtestPlotFiles('/p')).toEqual(['/p/dust_ratio.svg', '/p/dust_ratio.png', '/p/cost_vs_exposure.svg', '/p/cost_vs_exposure.png', '/p/frontier.svg', '/p/frontier.png'])
  })
})
