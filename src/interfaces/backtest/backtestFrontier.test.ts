import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { resolveDataDir } from '../../app/backtest/resolveDataDir.js'
import { loadConfig } from '../../app/loadConfig.js'
import { Fraction } from '../../domain/money/index.js'
import type { BacktestRunResult } from '../../engine/backtest/BacktestRunResult.js'
import { backtestFrontier } from './backtestFrontier.js'
import { type BacktestReport, backtestStrategy } from '../../app/backtest/backtestStrategy.js'
import { frontierSpec, renderSvg, writeBacktestPlots } from './plotBacktest.js'
import { renderBacktest, serializeBacktest } from './renderBacktest.js'

const decimal = Fraction.fromDecimalString
/** The configuration's dust_delta and three lower ones, which two weeks of rewards cross. */
const DELTAS = ['0.0001', '0.0002', '0.0003', '0.002']

let twoWeeks: BacktestReport
let beforeRewards: BacktestReport

beforeAll(async () => {
  const loaded = await loadConfig({ file: 'configs/modes/usdt_eth_staking_hedged_simple.yaml', env: {} })
  const window = { loaded, position: decimal('1000'), dataDir: resolveDataDir({}), policies: ['threshold' as const, 'every_receipt' as const] }
  ;[twoWeeks, beforeRewards] = await Promise.all([
    // January 2025's first two weeks: EIGEN is credited on the 5th and the 12th.
    backtestStrategy({ ...window, from: Date.UTC(2025, 0, 1), to: Date.UTC(2025, 0, 14, 23), sweep: DELTAS.map(decimal) }),
    // Its first four days: nothing is credited, so no dust is held.
    backtestStrategy({ ...window, from: Date.UTC(2025, 0, 1), to: Date.UTC(2025, 0, 4, 23) }),
  ])
}, 60_000)

const threshold = (delta: string) => twoWeeks.runs.find((run) => run.policy === 'threshold' && run.dustDelta.equals(decimal(delta))) as BacktestRunResult

describe('the scorecard on the real history', () => {
  it('scores every run from its own figures: cost is totalCost, time-weighted bps the mean ratio, P&L the result less the ideal', () => {
    expect(twoWeeks.runs).toHaveLength(DELTAS.length + 1)
    for (const run of twoWeeks.runs) {
      expect(run.conversionCost.equals(run.totalCost)).toBe(true)
      expect(run.timeWeightedDustBps.equals(run.meanDustRatio.multiply(10_000n))).toBe(true)
      expect(run.realisedPnl.equals(run.result.subtract(twoWeeks.ideal))).toBe(true)
      expect(run.exAnteRisk.isPositive()).toBe(run.exAnteRiskBps.numerator > 0n)
    }
  })

  it('takes no risk while no dust is held', () => {
    for (const run of beforeRewards.runs) {
      expect(run.exAnteRisk.isZero() && run.exAnteRiskBps.isZero() && run.timeWeightedDustBps.isZero()).toBe(true)
    }
  })

  it("grows the threshold's risk with the dust it lets build up, and selling at each receipt risks no more than any of them", () => {
    const runs = DELTAS.map(threshold)
    for (const [index, run] of runs.entries()) {
      const next = runs[index + 1]
      if (!next) continue
      // A higher dust_delta holds at least as much dust, as long or longer: more time-weighted dust, more risk, no more cost.
      expect(next.timeWeightedDustBps.lessThan(run.timeWeightedDustBps)).toBe(false)
      expect(next.exAnteRiskBps.lessThan(run.exAnteRiskBps)).toBe(false)
      expect(next.conversionCost.greaterThan(run.conversionCost)).toBe(false)
    }
    // 0.0001 converts; 0.002 holds every reward to the end, so its risk is strictly more.
    expect(threshold('0.0001').conversions.length).toBeGreaterThan(0)
    expect(threshold('0.002').conversions).toHaveLength(0)
    expect(threshold('0.002').exAnteRiskBps.greaterThan(threshold('0.0001').exAnteRiskBps)).toBe(true)
    const receipts = twoWeeks.runs.find((run) => run.policy === 'every_receipt') as BacktestRunResult
    // Below one receipt's worth, the threshold sells at each receipt: the same sales, the same risk (of a remainder under the CEX amount step).
    expect(threshold('0.0001').conversions.map((c) => c.at)).toEqual(receipts.conversions.map((c) => c.at))
    expect(threshold('0.0001').exAnteRiskBps.equals(receipts.exAnteRiskBps)).toBe(true)
    for (const run of runs) expect(receipts.exAnteRiskBps.greaterThan(run.exAnteRiskBps)).toBe(false)
    // Holding both receipts to the end: 1.79 bps of equity on average, at EIGEN's hourly volatility of about 1.1 % over the 336 hours.
    expect(threshold('0.002').timeWeightedDustBps.toDecimalString(6)).toBe('1.788413')
    expect(threshold('0.002').exAnteRiskBps.toDecimalString(6)).toBe('6.827803')
  })

  it('charges every run for selling what it still holds at the end, so holding is not free', () => {
    for (const run of twoWeeks.runs) {
      // No warm-up: nothing was carried in, and the all-in cost is the conversions plus the end's liquidation.
      expect(run.openingLiquidationCost.isZero()).toBe(true)
      expect(run.allInCost.equals(run.conversionCost.add(run.liquidationCost))).toBe(true)
    }
    const held = threshold('0.002')
    // It converted nothing, yet selling both receipts at the last hour costs fees, impact and gas.
    expect(held.conversionCost.isZero()).toBe(true)
    expect(held.liquidationCost.toDecimalString()).toBe('4.789814')
    // Selling at each receipt leaves a remainder under the CEX amount step, counted at its value.
    const receipts = twoWeeks.runs.find((run) => run.policy === 'every_receipt') as BacktestRunResult
    expect(receipts.liquidationCost.toDecimalString()).toBe('0.021314')
    expect(held.liquidationCost.greaterThan(receipts.liquidationCost)).toBe(true)
  })

  it('lays the runs out on the frontier, draws it with a point per run and a line per policy, and gives the same points in --json', async () => {
    const lines = backtestFrontier(twoWeeks)
    expect(lines.map((line) => [line.policy, line.points.length])).toEqual([
      ['threshold', 4],
      ['every_receipt', 1],
    ])
    const svg = await renderSvg(frontierSpec(twoWeeks))
    // Each point carries its policy and parameter in its aria-label; each line is a path of its own group.
    const points = [...svg.matchAll(/aria-label="ex-ante risk \(bps of equity\): [^;]*; all-in cost \(USDT\): [^;]*; policy: ([a-z_]+); parameter: ([^;]+);/g)].map(
      (match) => `${match[1]} ${match[2]}`,
    )
    expect(points.sort()).toEqual([...DELTAS.map((delta) => `threshold dust_delta=${delta}`), 'every_receipt dust_delta=0.002'].sort())
    expect(svg.match(/<g class="mark-line role-mark/g)).toHaveLength(2)
    expect(svg).toContain("X-axis titled 'ex-ante risk (bps of equity)'")
    expect(svg).toContain("Y-axis titled 'all-in cost (USDT)'")
    expect(svg).toContain("Symbol legend titled 'policy' for fill color and stroke color with 2 values: threshold, every_receipt")
    const json = serializeBacktest(twoWeeks)
    expect(json.frontier).toEqual(
      lines.flatMap((line) =>
        line.points.map((point) => ({
          policy: point.policy,
          parameter: point.parameter,
          costDecimal: point.cost.toDecimalString(),
          riskBps: point.riskBps.toDecimalString(18, 'up'),
          efficient: point.efficient,
        })),
      ),
    )
    const run = json.runs.find((entry) => entry.policy === 'every_receipt')
    expect(run?.ex_ante_risk_bps).toBe(json.frontier.find((point) => point.policy === 'every_receipt')?.riskBps)
  })

  it('prints the scorecard columns, the realised P&L last and not ranked', () => {
    const header =
      renderBacktest(twoWeeks)
        .split('\n')
        .find((line) => line.startsWith('policy')) ?? ''
    expect(header.split(/ {2,}/)).toEqual([
      'policy',
      'dust_delta',
      'conversions',
      'converted USDT',
      'cost USDT',
      'cost bps',
      'end liquidation USDT',
      'all-in cost USDT',
      'time-weighted bps',
      'max ratio bps',
      'ex-ante risk bps',
      'result USDT',
      'realised P&L USDT (not ranked)',
      'P&L bps (not ranked)',
    ])
  })

  it('writes frontier.svg and frontier.png beside the other plots', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'frontier-'))
    try {
      const written = await writeBacktestPlots(beforeRewards, dir)
      expect(written.map((file) => file.slice(dir.length + 1))).toContain('frontier.png')
      expect((await readFile(join(dir, 'frontier.svg'), 'utf8')).startsWith('<svg')).toBe(true)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})
