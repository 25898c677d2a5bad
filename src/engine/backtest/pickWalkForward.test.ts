import { describe, expect, it } from 'vitest'
import { Amount, Fraction, createCurrency } from '../../domain/money/index.js'
import type { BacktestPolicy } from './BacktestPolicy.js'
import type { BacktestRunResult } from './BacktestRunResult.js'
import { pickWalkForward, riskAxisOf } from './pickWalkForward.js'

const usdt = createCurrency({ symbol: 'USDT', decimals: 6 })
const decimal = Fraction.fromDecimalString
const usd = (text: string) => Amount.parse(usdt, text)

/** A run with what the walk-forward reads: its policy, dust_delta, total cost and risk (ex-ante when given, else the mean ratio from `ratioBps`). */
function fakeRun(policy: BacktestPolicy, delta: string, cost: string, ratioBps: string, riskBps?: string): BacktestRunResult {
  const zero = Amount.zero(usdt)
  const run = {
    policy,
    dustDelta: decimal(delta),
    conversions: [],
    convertedValue: zero,
    totalCost: usd(cost),
    meanDustRatio: decimal(ratioBps).divide(10_000n),
    maxDustRatio: Fraction.ZERO,
    maxDustRatioAt: 0,
    proceeds: zero,
    remainingDustValue: zero,
    result: zero,
    skipped: {},
    conversionCost: usd(cost),
    openingLiquidationCost: zero,
    liquidationCost: zero,
    allInCost: usd(cost),
    timeWeightedDustBps: decimal(ratioBps),
    exAnteRisk: zero,
    exAnteRiskBps: riskBps === undefined ? undefined : decimal(riskBps),
    realisedPnl: zero,
  }
  return run as BacktestRunResult
}

describe('pickWalkForward', () => {
  it('ranks on the all-in cost: a run that converted little but leaves its dust to sell costs what selling it will', () => {
    const withConversions = (run: BacktestRunResult, conversions: string) => ({ ...run, totalCost: usd(conversions), conversionCost: usd(conversions) })
    const runs = [
      fakeRun('threshold', '0.002', '30', '10', '5'),
      // 2 USDT of conversions, 20 all-in: the dearer choice.
      withConversions(fakeRun('gas_aware', '0.002', '20', '1', '1'), '2'),
      withConversions(fakeRun('gas_aware', '0.003', '12', '1', '1'), '11'),
    ]
    const { picks } = pickWalkForward({ runs, dustDelta: decimal('0.002') })
    expect(picks.map((pick) => [pick.policy, pick.run.dustDelta.toDecimalString(4), pick.run.allInCost.toDecimalString()])).toEqual([
      ['threshold', '0.002', '30'],
      ['gas_aware', '0.003', '12'],
    ])
  })

  it("picks each policy's cheapest run within the threshold's risk at the configured dust_delta, on ex-ante risk when every run has it", () => {
    const runs = [
      fakeRun('threshold', '0.002', '30', '10', '5'),
      fakeRun('threshold', '0.001', '40', '5', '2.5'),
      fakeRun('threshold', '0.004', '20', '20', '10'),
      fakeRun('cost_aware', '0.002', '50', '1', '0.5'),
      // Cheapest of all, but over the budget of 5 bps: left out.
      fakeRun('cost_aware', '0.004', '10', '8', '6'),
      // Within the budget, exactly at it: cheapest that counts.
      fakeRun('cost_aware', '0.003', '15', '9', '5'),
      fakeRun('weekly', '0.002', '25', '30', '20'),
    ]
    const { axis, baseline, budget, picks } = pickWalkForward({ runs, dustDelta: decimal('0.002') })
    expect(axis).toBe('ex_ante_risk_bps')
    expect(baseline).toBe(runs[0])
    expect(budget.equals(decimal('5'))).toBe(true)
    expect(picks.map((pick) => [pick.policy, pick.run.dustDelta.toDecimalString(4), pick.withinBudget])).toEqual([
      ['threshold', '0.002', true],
      ['cost_aware', '0.003', true],
      // No weekly run keeps within 5 bps: the least risky one, marked as outside.
      ['weekly', '0.002', false],
    ])
  })

  it('breaks a tie of cost on the lower risk', () => {
    const runs = [fakeRun('threshold', '0.002', '30', '10', '5'), fakeRun('threshold', '0.001', '30', '10', '4'), fakeRun('threshold', '0.0015', '30', '10', '4')]
    expect(pickWalkForward({ runs, dustDelta: decimal('0.002') }).picks[0]?.run).toBe(runs[1])
  })

  it('breaks a tie of cost and risk on the configuration’s dust_delta, then on the smaller value, whatever order the runs come in', () => {
    const runs = [
      fakeRun('threshold', '0.003', '30', '10', '5'),
      fakeRun('threshold', '0.001', '30', '10', '5'),
      fakeRun('threshold', '0.002', '30', '10', '5'),
      fakeRun('cost_aware', '0.004', '20', '10', '4'),
      fakeRun('cost_aware', '0.003', '20', '10', '4'),
      fakeRun('cost_aware', '0.002', '25', '10', '4'),
    ]
    const picked = pickWalkForward({ runs, dustDelta: decimal('0.002') }).picks.map((pick) => [pick.policy, pick.run.dustDelta.toDecimalString(4)])
    expect(picked).toEqual([
      ['threshold', '0.002'],
      ['cost_aware', '0.003'],
    ])
  })

  it('breaks a tie of risk among runs outside the budget on the lower cost, then as within it', () => {
    // All three outside the 5 bps budget at 9 bps: the cheapest (10 USDT at 0.003) goes first, whatever the configured value.
    const runs = [fakeRun('threshold', '0.002', '30', '10', '5'), fakeRun('weekly', '0.003', '10', '10', '9'), fakeRun('weekly', '0.001', '12', '10', '9'), fakeRun('weekly', '0.002', '12', '10', '9')]
    const [, weekly] = pickWalkForward({ runs, dustDelta: decimal('0.002') }).picks
    expect([weekly?.run.dustDelta.toDecimalString(4), weekly?.withinBudget]).toEqual(['0.003', false])
    // At the same cost too, the configured value, then the smaller.
    const tied = [fakeRun('threshold', '0.002', '30', '10', '5'), fakeRun('weekly', '0.003', '12', '10', '9'), fakeRun('weekly', '0.001', '12', '10', '9'), fakeRun('weekly', '0.002', '12', '10', '9')]
    expect(pickWalkForward({ runs: tied, dustDelta: decimal('0.002') }).picks[1]?.run.dustDelta.toDecimalString(4)).toBe('0.002')
    expect(pickWalkForward({ runs: tied.slice(0, 3), dustDelta: decimal('0.002') }).picks[1]?.run.dustDelta.toDecimalString(4)).toBe('0.001')
  })

  it('ranks on the mean dust ratio in bps when a run lacks the ex-ante risk', () => {
    const runs = [fakeRun('threshold', '0.002', '30', '10'), fakeRun('cost_aware', '0.002', '12', '10', '1'), fakeRun('cost_aware', '0.003', '11', '10.5', '1')]
    expect(riskAxisOf(runs)).toBe('mean_dust_ratio_bps')
    const { budget, picks } = pickWalkForward({ runs, dustDelta: decimal('0.002') })
    expect(budget.equals(decimal('10'))).toBe(true)
    expect(picks[1]?.run).toBe(runs[1])
  })

  it('refuses runs without the threshold at the configured dust_delta', () => {
    expect(() => pickWalkForward({ runs: [fakeRun('threshold', '0.001', '1', '1', '1')], dustDelta: decimal('0.002') })).toThrow(/no baseline.*\n.*dust_delta 0\.002/)
  })
})
