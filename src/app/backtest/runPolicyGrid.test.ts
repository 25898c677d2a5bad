import { describe, expect, it } from 'vitest'
import { Fraction } from '../../domain/money/index.js'
import { backtestStrategy } from './backtestStrategy.js'
import { loadConfig } from '../loadConfig.js'
import { resolveDataDir } from './resolveDataDir.js'
import { runPolicyGrid } from './runPolicyGrid.js'

const decimal = Fraction.fromDecimalString
const configFile = 'configs/modes/usdt_eth_staking_hedged_simple.yaml'
const dataDir = resolveDataDir({})
// Three weeks with rewards in them: every policy converts at least once.
const from = Date.UTC(2025, 0, 1)
const to = Date.UTC(2025, 0, 21, 23)

describe('runPolicyGrid', () => {
  it('gives, on two workers, exactly the report of one process replaying the same grid, run for run', async () => {
    const values = ['0.0005', '0.001', '0.002', '0.003', '0.005'].map(decimal)
    const position = decimal('1000')
    const progress: number[] = []
    const [grid, single] = await Promise.all([
      runPolicyGrid({ configFile, env: {}, position, dataDir, from, to, values, workers: 2, onProgress: (done) => progress.push(done) }),
      loadConfig({ file: configFile, env: {} }).then((loaded) => backtestStrategy({ loaded, position, dataDir, from, to, sweep: values })),
    ])
    expect(grid.runs.length).toBe(single.runs.length)
    expect(grid.runs.map((run) => `${run.policy} ${run.dustDelta.toDecimalString(6)}`)).toEqual(single.runs.map((run) => `${run.policy} ${run.dustDelta.toDecimalString(6)}`))
    expect(grid.runs.some((run) => run.conversions.length > 0)).toBe(true)
    expect(grid.runs).toEqual(single.runs)
    expect({ ...grid, replayMs: 0 }).toEqual({ ...single, replayMs: 0 })
    expect(progress.at(-1)).toBe(single.hours)
  }, 60_000)

  it("rejects with the worker's own error, such as a configuration file that is missing", async () => {
    await expect(runPolicyGrid({ configFile: 'configs/none.yaml', env: {}, position: decimal('1'), dataDir, values: [decimal('0.001'), decimal('0.002')], workers: 1 })).rejects.toThrow(/none\.yaml/)
  }, 30_000)
})
