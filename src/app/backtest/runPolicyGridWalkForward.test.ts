import { describe, expect, it } from 'vitest'
import { Amount, Fraction } from '../../domain/money/index.js'
import { compareWalkForward } from '../../engine/backtest/compareWalkForward.js'
import { pickWalkForward } from '../../engine/backtest/pickWalkForward.js'
import { resolveDataDir } from './resolveDataDir.js'
import { runPolicyGrid } from './runPolicyGrid.js'
import { runPolicyGridWalkForward } from './runPolicyGridWalkForward.js'

const decimal = Fraction.fromDecimalString
const HOUR = 3_600_000
const common = {
  configFile: 'configs/modes/usdt_eth_staking_hedged_simple.yaml',
  env: {},
  position: decimal('1000'),
  dataDir: resolveDataDir({}),
  values: ['0.001', '0.002', '0.003'].map(decimal),
  workers: 0,
}
// Four weeks of January 2025, EIGEN credited on the 5th, 12th, 19th and 26th.
const from = Date.UTC(2025, 0, 1)
const to = Date.UTC(2025, 0, 28, 23)

describe('runPolicyGridWalkForward', () => {
  it('chooses on the first half, then scores the choices on the second after a warm-up over the first, as the parts do alone', async () => {
    const progress: Array<[number, number]> = []
    const report = await runPolicyGridWalkForward({ ...common, from, to, policies: ['cost_aware'], onProgress: (done, total) => progress.push([done, total]) })
    expect(report.choose).toEqual({ from, to: from + 335 * HOUR, hours: 336 })
    expect(report.report).toEqual({ from: from + 336 * HOUR, to, hours: 336 })
    // The threshold joins as the baseline: 2 policies × 3 values on the first half.
    expect(report.gridRuns).toBe(6)
    expect(report.candidates.map((value) => value.toDecimalString(4))).toEqual(['0.001', '0.002', '0.003'])
    expect(progress.at(-1)).toEqual([336 * 3, 336 * 3])

    const first = await runPolicyGrid({ ...common, from, to: report.choose.to, policies: ['threshold', 'cost_aware'] })
    const picked = pickWalkForward({ runs: first.runs, dustDelta: first.dustDelta })
    expect(report.picks.map((pick) => [pick.policy, pick.run.dustDelta.toDecimalString(4), pick.run.allInCost.toDecimalString()])).toEqual(
      picked.picks.map((pick) => [pick.policy, pick.run.dustDelta.toDecimalString(4), pick.run.allInCost.toDecimalString()]),
    )
    const values = [...new Map(picked.picks.map((pick) => [pick.run.dustDelta.toDecimalString(18), pick.run.dustDelta])).values()]
    const second = await runPolicyGrid({ ...common, from, to, scoreFrom: report.report.from, values, policies: ['threshold', 'cost_aware'] })
    const compared = compareWalkForward({ axis: picked.axis, picks: picked.picks, runs: second.runs, dustDelta: second.dustDelta, negligibleBelow: Amount.parse(report.shareClass, '1') })
    expect(report.rows).toEqual(compared.rows)
    expect(report.reportBaseline).toEqual({
      cost: compared.baseline.allInCost,
      conversionCost: compared.baseline.conversionCost,
      risk: compared.baseline.exAnteRiskBps,
      conversions: compared.baseline.conversions.length,
    })
    // What the threshold held at the midpoint carried into the second half, and was credited at the end's prices.
    expect(compared.baseline.openingLiquidationCost.isPositive()).toBe(true)
  }, 120_000)
  it('refuses a window whose choosing half holds no reward receipt, before replaying it, and counts the configuration’s dust_delta among the candidates', async () => {
    // 2025-03-08 22:00 to 2025-03-09 01:00 UTC: the week's EIGEN is credited at midnight, in the second half.
    const short = { ...common, values: [decimal('0.0005')], from: Date.UTC(2025, 2, 8, 22), to: Date.UTC(2025, 2, 9, 1), policies: ['threshold'] as const }
    await expect(runPolicyGridWalkForward(short)).rejects.toThrow("The walk-forward's first half, which chooses (2025-03-08 22:00 UTC to 2025-03-08 23:00 UTC, 2 hours), holds no reward receipt.")
    // To 2025-03-16 00:00: the next week's EIGEN falls in the second half.
    const report = await runPolicyGridWalkForward({ ...short, from: Date.UTC(2025, 2, 8, 23), to: Date.UTC(2025, 2, 16) })
    expect([report.choose.hours, report.report.hours]).toEqual([85, 85])
    expect(report.values.map((value) => value.toDecimalString(4))).toEqual(['0.0005'])
    expect(report.candidates.map((value) => value.toDecimalString(4))).toEqual(['0.0005', '0.002'])
    expect(report.gridRuns).toBe(2)
  }, 60_000)

  it("judges an ETH share class's baseline negligible against one USDT in ETH, not one ETH", async () => {
    const window = {
      ...common,
      configFile: 'configs/modes/eth_leveraged.yaml',
      values: [decimal('0.0005')],
      from: Date.UTC(2025, 2, 8, 23),
      to: Date.UTC(2025, 2, 16),
      policies: ['threshold'] as const,
    }
    const large = await runPolicyGridWalkForward(window)
    const small = await runPolicyGridWalkForward({ ...window, position: decimal('10') })
    // One USDT at the window's last ETH close (1,935.81 USDT at 2025-03-16 00:00), in ETH, rounded up.
    expect(large.negligibleBelow.toDecimalString()).toBe('0.000516579623000192')
    expect([large.reportBaseline.cost.toDecimalString(), large.baselineNegligible]).toEqual(['0.000557680979953308', false])
    expect([small.reportBaseline.cost.toDecimalString(), small.baselineNegligible]).toEqual(['0.00032543044518351', true])
  }, 60_000)
})
