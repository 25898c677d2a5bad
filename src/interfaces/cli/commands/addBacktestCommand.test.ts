import { mkdirSync } from 'node:fs'
import { mkdir, readdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cliIo, cliJsonLines, cliTempDir } from '../../../../test/cliIo.js'
import { EXIT, runCli } from '../runCli.js'

let temp: Awaited<ReturnType<typeof cliTempDir>>

beforeAll(async () => {
  temp = await cliTempDir()
})

afterAll(async () => {
  await temp.cleanup()
})

/** Two days with a sweep and a drawn progress bar: the bar is drawn only once the replay runs. */
const REPLAY = ['backtest', '--position', '10', '--from', '2025-01-01', '--to', '2025-01-02', '--sweep', '0.001:0.002:2', '--progress']

/** A progress stream that records what is drawn and runs `onFirstDraw` (synchronously) when the replay first draws. */
function progressStream(onFirstDraw: () => void = () => {}) {
  const drawn: string[] = []
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      if (drawn.length === 0) onFirstDraw()
      drawn.push(chunk.toString('utf8'))
      callback()
    },
  })
  return { stream, drawn }
}

async function dust(argv: string[], onFirstDraw?: () => void, env: Record<string, string> = {}) {
  const progress = progressStream(onFirstDraw)
  const io = cliIo({ progressStream: progress.stream, env })
  const code = await runCli(argv, io)
  return { code, out: io.out(), err: io.err(), drawn: progress.drawn.join('') }
}

describe('dust backtest --plots', () => {
  it('refuses a plots folder that is a file, or under a file, with exit 2 and one message, before the replay', async () => {
    const file = await temp.write('afile', 'not a folder')
    const itself = await dust([...REPLAY, '--plots', file])
    expect(itself).toEqual({
      code: EXIT.usage,
      out: '',
      err: `error: The plots folder ${file} is a file, not a folder.\nExpected --plots to name a folder, or a path where one can be made, found a file at ${file}.\n`,
      drawn: '',
    })
    const under = join(file, 'sub', 'plots')
    const parent = await dust([...REPLAY, '--plots', under])
    expect(parent).toEqual({
      code: EXIT.usage,
      out: '',
      err: `error: The plots folder ${under} cannot be made: ${file} is a file, not a folder.\nExpected every existing parent of --plots to be a folder, found a file at ${file}.\n`,
      drawn: '',
    })
  })

  it('refuses a plot file that is a folder before the replay, and makes a missing folder only once the replay has succeeded', async () => {
    const plots = join(temp.dir, 'taken')
    await mkdir(join(plots, 'frontier.png'), { recursive: true })
    const taken = await dust([...REPLAY, '--plots', plots])
    expect(taken.code).toBe(EXIT.usage)
    expect(taken.out).toBe('')
    expect(taken.drawn).toBe('')
    expect(taken.err.split('\n')[0]).toBe(`error: The plot file ${join(plots, 'frontier.png')} is a folder, not a file.`)
    expect(await readdir(plots)).toEqual(['frontier.png'])

    // The data folder is empty, so the replay fails at once: the plots folder was checked, not made.
    const made = join(temp.dir, 'new', 'deep', 'plots')
    const failed = await dust([...REPLAY, '--plots', made, '--data-dir', join(temp.dir, 'no-data')])
    expect(failed.code).toBe(EXIT.failure)
    expect(failed.err).toContain('history files are missing')
    expect(await readdir(temp.dir)).not.toContain('new')
  })

  it('prints the report when the plots cannot be written after the replay, then exits 1 with one message and writes no plot', async () => {
    const plots = join(temp.dir, 'spoiled')
    // The folder passes the check before the replay; while it runs, frontier.png becomes a folder.
    const text = await dust([...REPLAY, '--plots', plots], () => mkdirSync(join(plots, 'frontier.png'), { recursive: true }))
    expect(text.drawn).toContain('replaying |')
    expect(text.code).toBe(EXIT.failure)
    expect(text.out.split('\n')[0]).toBe('Backtest of usdt_eth_staking_hedged_simple: 10 weETH held from 2025-01-01 00:00 UTC to 2025-01-02 23:00 UTC (48 hours), valued in USDT.')
    expect(text.out).toContain('Sweep of dust_delta (2 values; amounts in USDT):')
    expect(text.out).not.toContain('Plots:')
    expect(text.err).toBe(
      `error: The plot file ${join(plots, 'frontier.png')} is a folder, not a file.\n` +
        `Expected each of dust_ratio, cost_vs_exposure, frontier (.svg and .png) in the plots folder to be a file or missing, found a folder at ${join(plots, 'frontier.png')}.\n`,
    )
    // No half set: not one plot file, and no temporary folder left behind.
    expect(await readdir(plots)).toEqual(['frontier.png'])
  }, 120_000)

  it('keeps --json stdout one JSON document, listing no plot, when the plots cannot be written after the replay', async () => {
    const plots = join(temp.dir, 'spoiled-json')
    await mkdir(plots)
    await writeFile(join(plots, 'dust_ratio.svg'), 'the previous plot')
    const json = await dust([...REPLAY, '--json', '--plots', plots], () => mkdirSync(join(plots, 'cost_vs_exposure.png')))
    expect(json.code).toBe(EXIT.failure)
    const documents = cliJsonLines(json.out)
    expect(documents).toHaveLength(1)
    expect(documents[0]).toMatchObject({ strategy_mode: 'usdt_eth_staking_hedged_simple', hours: 48, plots: [] })
    expect(json.err.split('\n')[0]).toBe(`error: The plot file ${join(plots, 'cost_vs_exposure.png')} is a folder, not a file.`)
    expect((await readdir(plots)).sort()).toEqual(['cost_vs_exposure.png', 'dust_ratio.svg'])
  }, 120_000)

  it('writes the six plots and lists them after the report', async () => {
    const plots = join(temp.dir, 'fine')
    const { code, out, err } = await dust([...REPLAY, '--plots', plots])
    expect(err).toBe('')
    expect(code).toBe(EXIT.ok)
    const files = ['dust_ratio.svg', 'dust_ratio.png', 'cost_vs_exposure.svg', 'cost_vs_exposure.png', 'frontier.svg', 'frontier.png']
    expect(out.trimEnd().split('\n').at(-1)).toBe(`Plots: ${files.map((file) => join(plots, file)).join(', ')}`)
    expect((await readdir(plots)).sort()).toEqual([...files].sort())
  }, 120_000)
})

describe('dust backtest option refusals', () => {
  it('refuses with exit 2 and one message, before any replay', async () => {
    const run = ['backtest', '--position', '10', '--from', '2025-03-01', '--to', '2025-03-02']
    const needs = 'expected one of threshold, cost_aware, gas_aware, claim_batching, venue_size, riskiest_first among them'
    const cases: Array<[string[], string]> = [
      [[...run, '--policy', 'threshold', 'weekly', 'threshold'], 'error: --policy names threshold twice; expected each policy once.'],
      [[...run, '--policy', 'weekly', '--sweep', '0.001:0.002:2'], `error: --sweep varies dust_delta, which none of the policies asked for (weekly) reads; ${needs}, or no --sweep.`],
      [
        [...run, '--policy', 'weekly', 'every_receipt', '--grid', '0.001:0.002:2'],
        `error: --grid varies dust_delta, which none of the policies asked for (weekly, every_receipt) reads; ${needs}, or no --grid.`,
      ],
      [[...run, '--policy', 'every_receipt', '--grid-size', '3'], `error: --grid-size varies dust_delta, which none of the policies asked for (every_receipt) reads; ${needs}, or no --grid-size.`],
      [[...run, '--walk-forward', '--plots', join(temp.dir, 'wf-plots')], `error: --plots (${join(temp.dir, 'wf-plots')}) does not mix with --walk-forward, which draws no plot; give one of them.`],
      [[...run, '--data-dir', ''], 'error: --data-dir takes the folder of the real history, such as ../shared/data, found "".'],
    ]
    for (const [argv, message] of cases) {
      const { code, out, err, drawn } = await dust(argv)
      expect({ argv, code, first: err.split('\n')[0], out, drawn }).toEqual({ argv, code: EXIT.usage, first: message, out: '', drawn: '' })
    }
    await expect(readdir(join(temp.dir, 'wf-plots'))).rejects.toMatchObject({ code: 'ENOENT' })
  })

  it('names --data-dir in the refusal of a data folder that came from it, and says a file is not a folder', async () => {
    const run = ['backtest', '--position', '10', '--from', '2025-03-01', '--to', '2025-03-02', '--no-plots']
    const hint = 'The backtest replays the hourly history and the ether.fi rewards; give --data-dir the folder that holds gas/, oracle/, prices/ and rewards/.\n'
    const empty = join(temp.dir, 'empty-data')
    await mkdir(empty)
    const missing = await dust([...run, '--data-dir', empty], undefined, { DUST_DATA_DIR: '/elsewhere' })
    const [first, second, ...rest] = missing.err.split('\n')
    expect({ code: missing.code, first: first?.startsWith(`error: 7 history files are missing from ${empty}: `), second: `${second}\n`, rest }).toEqual({
      code: EXIT.failure,
      first: true,
      second: hint,
      rest: [''],
    })
    const file = await temp.write('data-file', 'not a folder')
    const notFolder = await dust([...run, '--data-dir', file])
    expect({ code: notFolder.code, err: notFolder.err }).toEqual({ code: EXIT.failure, err: `error: The history folder ${file} is a file, not a folder.\n${hint}` })
  })

  it('says in its header the window replayed when --from is before the data, and that the history lacked the start asked', async () => {
    const { code, out, err } = await dust(['backtest', '--position', '10', '--from', '2024-09-01', '--to', '2024-10-05', '--policy', 'threshold', '--no-plots'])
    expect(err).toBe('')
    expect(code).toBe(EXIT.ok)
    expect(out.split('\n').slice(0, 2)).toEqual([
      'Backtest of usdt_eth_staking_hedged_simple: 10 weETH held from 2024-10-05 00:00 UTC to 2024-10-05 23:00 UTC (24 hours), valued in USDT.',
      'The window asked begins at 2024-09-01 00:00 UTC, before the first hour from it at which every series of the history has a row, so the replay begins at 2024-10-05 00:00 UTC.',
    ])
    const json = await dust(['backtest', '--position', '10', '--from', '2024-09-01', '--to', '2024-10-05', '--policy', 'threshold', '--no-plots', '--json'])
    expect(JSON.parse(json.out)).toMatchObject({ from: '2024-10-05T00:00:00.000Z', asked: { from: '2024-09-01T00:00:00.000Z', to: '2024-10-05T23:00:00.000Z' } })
  }, 60_000)

  it('says in --help that --sweep runs every policy that reads dust_delta', async () => {
    const { code, out } = await dust(['backtest', '--help'])
    expect(code).toBe(EXIT.ok)
    expect(out.replace(/\s+/g, ' ')).toContain(
      'also run each policy that reads dust_delta (threshold, cost_aware, gas_aware, claim_batching, venue_size, riskiest_first) at count dust_delta values from..to (0.0005:0.01:50)',
    )
  })
})
