import { PassThrough } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { cliIo, cliJsonLines } from '../../../../test/cliIo.js'
import { EXIT, runCli } from '../runCli.js'
import { resolveDataDir } from '../../../app/backtest/resolveDataDir.js'
import { Fraction } from '../../../domain/money/index.js'
import { createCliContext } from '../createCliContext.js'
import { runBacktestGrid } from './runBacktestGrid.js'

async function dust(argv: string[]) {
  const io = cliIo()
  const code = await runCli(argv, io)
  return { code, out: io.out(), err: io.err() }
}

describe('dust backtest --walk-forward and --grid', () => {
  it('prints the walk-forward as JSON: the halves, the rule, and each policy chosen on the first half and reported on the second', async () => {
    const { code, out, err } = await dust([
      'backtest',
      '--position',
      '1000',
      '--walk-forward',
      '--grid',
      '0.001:0.003:3',
      '--from',
      '2025-01-01',
      '--to',
      '2025-01-28',
      '--policy',
      'weekly',
      'cost_aware',
      '--workers',
      '0',
      '--json',
    ])
    expect(err).toBe('')
    expect(code).toBe(EXIT.ok)
    const [report] = cliJsonLines(out) as Array<Record<string, unknown> & { choose: Record<string, unknown>; report: Record<string, unknown>; policies: Array<Record<string, unknown>> }>
    expect(report?.choose).toMatchObject({ from: '2025-01-01T00:00:00.000Z', to: '2025-01-14T23:00:00.000Z', hours: 336, values: ['0.001', '0.002', '0.003'] })
    expect(report?.report).toMatchObject({ from: '2025-01-15T00:00:00.000Z', to: '2025-01-28T23:00:00.000Z', hours: 336 })
    // The threshold is always there: it is the baseline. cost_aware at 0.002 (the configuration's) and two more, weekly once.
    expect(report?.choose.grid_runs).toBe(7)
    expect(report?.policies.map((row) => row.policy)).toEqual(['threshold', 'weekly', 'cost_aware'])
    for (const row of report?.policies ?? []) {
      expect(['0.001', '0.002', '0.003']).toContain(row.dust_delta)
      expect(typeof row.beats_threshold).toBe('boolean')
    }
    expect(report?.policies[0]?.beats_threshold).toBe(false)
  }, 60_000)

  it("counts every worker's runs in the progress bar, not only the first worker's", async () => {
    const progress = new PassThrough()
    const drawn: Buffer[] = []
    progress.on('data', (chunk: Buffer) => drawn.push(chunk))
    const io = cliIo({ progressStream: progress })
    const argv = ['backtest', '--position', '1000', '--grid', '0.001:0.006:6', '--from', '2025-01-01', '--to', '2025-01-07', '--policy', 'threshold', 'weekly']
    const code = await runCli([...argv, '--workers', '2', '--progress', '--json', '--no-plots'], io)
    expect(io.err()).toBe('')
    expect(code).toBe(EXIT.ok)
    // threshold at six values, weekly once: 7 runs, dealt to two workers of three values each.
    expect(Buffer.concat(drawn).toString('utf8')).toContain('100% | 168/168 hours | 7 runs')
  }, 60_000)

  it('gives one clear message and exit 2 for bad grid options', async () => {
    const cases: Array<[string[], string]> = [
      [
        ['backtest', '--position', '1', '--walk-forward', '--sweep', '0.001:0.002:2'],
        'error: --sweep does not mix with --grid, --grid-size, --walk-forward or --workers; use --grid from:to:count instead.',
      ],
      [['backtest', '--position', '1', '--grid', '0.001:0.002:2', '--grid-size', '5'], 'error: --grid (0.001:0.002:2) and --grid-size (5) both say which values to replay; give one of them.'],
      [['backtest', '--position', '1', '--walk-forward', '--grid-size', '1001'], 'error: --grid-size takes a whole number of dust_delta values from 1 to 1000, found "1001".'],
      [
        ['backtest', '--position', '1', '--grid', 'no-such-grid.txt'],
        'error: --grid takes from:to:count or a file of dust_delta values, found "no-such-grid.txt", which cannot be read: there is no such file.',
      ],
      [['backtest', '--position', '1', '--workers', '2'], 'error: --workers (2) sets the threads of --grid, --grid-size or --walk-forward; give one of them too.'],
      [['backtest', '--position', '1', '--grid', 'src'], 'error: --grid takes from:to:count or a file of dust_delta values, found "src", which is a folder, not a file.'],
    ]
    for (const [argv, message] of cases) {
      const { code, out, err } = await dust(argv)
      expect({ argv, code, first: err.split('\n')[0], out }).toEqual({ argv, code: EXIT.usage, first: message, out: '' })
    }
  })
})

const decimal = Fraction.fromDecimalString
const grid = {
  configFile: 'configs/modes/usdt_eth_staking_hedged_simple.yaml',
  env: {},
  position: decimal('1000'),
  dataDir: resolveDataDir({}),
  from: Date.UTC(2025, 0, 1),
  to: Date.UTC(2025, 0, 14, 23),
  values: ['0.001', '0.002'].map(decimal),
  policies: ['threshold', 'weekly'] as const,
  workers: 0,
}

describe('runBacktestGrid', () => {
  it("returns a plain grid's report for the command to render, printing nothing", async () => {
    const io = cliIo()
    const result = await runBacktestGrid(createCliContext(io), { ...grid, walkForward: false, json: false })
    expect(io.out()).toBe('')
    // threshold at both values, weekly once.
    expect(result.printed ? [] : result.report.runs.map((run) => `${run.policy}@${run.dustDelta.toDecimalString(3)}`)).toEqual(['threshold@0.002', 'threshold@0.001', 'weekly@0.002'])
  }, 60_000)

  it('prints a walk-forward itself, as a table or as one line of JSON', async () => {
    const text = cliIo()
    expect(await runBacktestGrid(createCliContext(text), { ...grid, walkForward: true, json: false })).toEqual({ printed: true })
    expect(text.out()).toContain('Walk-forward of usdt_eth_staking_hedged_simple: 1000 weETH, valued in USDT.')
    const json = cliIo()
    await runBacktestGrid(createCliContext(json), { ...grid, walkForward: true, json: true })
    const lines = json.out().trim().split('\n')
    expect(lines).toHaveLength(1)
    expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({ choose: { hours: 168, grid_runs: 3 }, report: { hours: 168 } })
  }, 60_000)
})
