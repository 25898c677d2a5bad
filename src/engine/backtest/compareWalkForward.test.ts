import { describe, expect, it } from 'vitest'
import { Amount, Fraction, createCurrency } from '../../domain/money/index.js'
import type { BacktestPolicy } from './BacktestPolicy.js'
import type { BacktestRunResult } from './BacktestRunResult.js'
import { compareWalkForward } from './compareWalkForward.js'
import { pickWalkForward } from './pickWalkForward.js'

const usdt = createCurrency({ symbol: 'USDT', decimals: 6 })
const decimal = Fraction.fromDecimalString
const oneUsdt = Amount.parse(usdt, '1')

function fakeRun(policy: BacktestPolicy, delta: string, cost: string, riskBps: string, shareClass = usdt): BacktestRunResult {
  const zero = Amount.zero(shareClass)
  const run = {
    policy,
    dustDelta: decimal(delta),
    conversions: [],
    convertedValue: zero,
    totalCost: Amount.parse(shareClass, cost),
    meanDustRatio: Fraction.ZERO,
    maxDustRatio: Fraction.ZERO,
    maxDustRatioAt: 0,
    proceeds: zero,
    remainingDustValue: zero,
    result: zero,
    skipped: {},
    conversionCost: Amount.parse(shareClass, cost),
    openingLiquidationCost: zero,
    liquidationCost: zero,
    allInCost: Amount.parse(shareClass, cost),
    timeWeightedDustBps: Fraction.ZERO,
    exAnteRisk: zero,
    exAnteRiskBps: decimal(riskBps),
    realisedPnl: zero,
  }
  return run as BacktestRunResult
}

describe('compareWalkForward', () => {
  it('reports each first-half pick on the second half against the threshold there: 30 % cheaper at no more risk beats it, exactly at the edge too', () => {
    const first = [fakeRun('threshold', '0.002', '30', '5'), fakeRun('cost_aware', '0.003', '10', '4'), fakeRun('weekly', '0.002', '10', '5'), fakeRun('gas_aware', '0.001', '10', '5')]
    const { axis, picks } = pickWalkForward({ runs: first, dustDelta: decimal('0.002') })
    const second = [
      fakeRun('threshold', '0.002', '40', '6'),
      fakeRun('threshold', '0.003', '35', '7'),
      // 28 is exactly 70 % of 40, at 6 bps: beats.
      fakeRun('cost_aware', '0.003', '28', '6'),
      fakeRun('cost_aware', '0.002', '1', '1'),
      // 28.000001 is not 30 % less.
      fakeRun('weekly', '0.002', '28.000001', '1'),
      // Cheap, but riskier than the threshold's 6 bps.
      fakeRun('gas_aware', '0.001', '10', '6.5'),
    ]
    const { baseline, rows } = compareWalkForward({ axis, picks, runs: second, dustDelta: decimal('0.002'), negligibleBelow: oneUsdt })
    expect(baseline).toBe(second[0])
    expect(rows.map((row) => [row.policy, row.dustDelta.toDecimalString(4), row.cost.toDecimalString(), row.costVsThreshold?.toDecimalString(9), row.beatsThreshold])).toEqual([
      ['threshold', '0.002', '40', '0', false],
      ['cost_aware', '0.003', '28', '-0.3', true],
      ['weekly', '0.002', '28.000001', '-0.299999975', false],
      ['gas_aware', '0.001', '10', '-0.75', false],
    ])
  })

  it('never counts a policy as beating a threshold that cost nothing, or less than nothing', () => {
    for (const baseCost of ['0', '-0.05']) {
      const first = [fakeRun('threshold', '0.002', baseCost, '5'), fakeRun('weekly', '0.002', '-1', '5')]
      const { axis, picks } = pickWalkForward({ runs: first, dustDelta: decimal('0.002') })
      const { rows } = compareWalkForward({ axis, picks, runs: first, dustDelta: decimal('0.002'), negligibleBelow: oneUsdt })
      expect(rows.map((row) => [row.policy, row.cost.toDecimalString(), row.costVsThreshold, row.beatsThreshold])).toEqual([
        ['threshold', baseCost, undefined, false],
        ['weekly', '-1', undefined, false],
      ])
    }
  })

  it('ranks and compares on the all-in cost, and reports the conversions’ own cost beside it', () => {
    const run = (policy: BacktestPolicy, conversions: string, allIn: string) => ({ ...fakeRun(policy, '0.002', allIn, '5'), conversionCost: Amount.parse(usdt, conversions) })
    const runs = [run('threshold', '0', '10'), run('weekly', '9', '6')]
    const { axis, picks } = pickWalkForward({ runs, dustDelta: decimal('0.002') })
    const { rows } = compareWalkForward({ axis, picks, runs, dustDelta: decimal('0.002'), negligibleBelow: oneUsdt })
    expect(rows.map((row) => [row.policy, row.conversionCost.toDecimalString(), row.cost.toDecimalString(), row.costVsThreshold?.toDecimalString(2), row.beatsThreshold])).toEqual([
      ['threshold', '0', '10', '0', false],
      ['weekly', '9', '6', '-0.4', true],
    ])
  })

  it('marks a baseline of all-in cost under one USDT as negligible, keeping its verdicts', () => {
    const negligible = (baseCost: string) => {
      const runs = [fakeRun('threshold', '0.002', baseCost, '5'), fakeRun('cost_aware', '0.002', '-0.89', '5')]
      const { axis, picks } = pickWalkForward({ runs, dustDelta: decimal('0.002') })
      const compared = compareWalkForward({ axis, picks, runs, dustDelta: decimal('0.002'), negligibleBelow: oneUsdt })
      return [compared.baselineNegligible, compared.rows[1]?.beatsThreshold]
    }
    expect(negligible('0.01')).toEqual([true, true])
    expect(negligible('0.999999')).toEqual([true, true])
    expect(negligible('-0.05')).toEqual([true, false])
    expect(negligible('1')).toEqual([false, true])
    expect(negligible('9.56')).toEqual([false, true])
  })

  it('takes the negligible bound it is given, so that 0.01 ETH (some 25 USDT) is not negligible for an ETH share class', () => {
    const eth = createCurrency({ symbol: 'ETH', decimals: 18 })
    // One USDT at 2,500 USDT per ETH.
    const oneUsdtInEth = Amount.parse(eth, '0.0004')
    const negligible = (baseCost: string) => {
      const runs = [fakeRun('threshold', '0.002', baseCost, '5', eth), fakeRun('cost_aware', '0.002', '0.001', '5', eth)]
      const { axis, picks } = pickWalkForward({ runs, dustDelta: decimal('0.002') })
      return compareWalkForward({ axis, picks, runs, dustDelta: decimal('0.002'), negligibleBelow: oneUsdtInEth }).baselineNegligible
    }
    expect(negligible('0.01')).toBe(false)
    expect(negligible('0.0004')).toBe(false)
    expect(negligible('0.000399999999999999')).toBe(true)
  })

  it('names the run the second half lacks', () => {
    const runs = [fakeRun('threshold', '0.002', '30', '5')]
    const { axis, picks } = pickWalkForward({ runs, dustDelta: decimal('0.002') })
    expect(() => compareWalkForward({ axis, picks, runs: [], dustDelta: decimal('0.002'), negligibleBelow: oneUsdt })).toThrow(
      "The walk-forward's second half has no threshold run at dust_delta 0.002.",
    )
  })
})
