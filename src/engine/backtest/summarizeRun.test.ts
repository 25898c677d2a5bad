import { describe, expect, it } from 'vitest'
import { claim, fixtureReplay, fixtureRun } from '../../../test/fixtureBacktestReplay.js'
import { EIGEN, USDT } from '../../../test/fixtureMoney.js'
import { Amount, Fraction, createCurrency } from '../../domain/money/index.js'
import { RATIO_SCALE } from './BacktestRunResult.js'
import { refreshHoldings } from './refreshHoldings.js'
import { summarizeRun } from './summarizeRun.js'

describe('summarizeRun', () => {
  it('sums up the totals, the mean and peak ratio, and values the dust left at the last prices', () => {
    const replay = fixtureReplay()
    const state = fixtureRun(replay, 'cost_aware', '0.003', true)
    claim(state, EIGEN, '3')
    // A token without a price is left out of the remaining value.
    const SPAM = createCurrency({ symbol: 'SPAM', decimals: 18, chain: 'ethereum' })
    state.wallet.set('SPAM', Amount.parse(SPAM, '1000'))
    refreshHoldings(replay, state)
    state.proceeds = Amount.parse(USDT, '10')
    state.totalCost = Amount.parse(USDT, '0.5')
    state.convertedValue = Amount.parse(USDT, '10.4')
    // Hourly ratios of 0.001 and 0.002, the peak at the second hour.
    state.ratioSum = (RATIO_SCALE * 3n) / 1000n
    state.maxRatio = Fraction.fromDecimalString('0.002')
    state.maxRatioAt = replay.market.hours[1] ?? 0
    state.skipped.below_venue_minimum = 2
    // One hour holding 3 USDT of EIGEN at 1 % hourly volatility, against 2,000,000 USDT of equity each hour.
    state.riskSum = 3_000_000n * 10n ** 16n
    const equitySum = Amount.parse(USDT, '4000000')
    const result = summarizeRun(state, {
      shareClass: USDT,
      lastBook: replay.market.priceBook(1),
      hours: 2,
      ideal: Amount.parse(USDT, '12'),
      equitySum,
      openingLiquidationCost: Amount.parse(USDT, '0.25'),
      liquidationCost: Amount.parse(USDT, '0.1'),
    })
    expect(result.policy).toBe('cost_aware')
    expect(result.dustDelta.toDecimalString(3)).toBe('0.003')
    expect([result.proceeds, result.totalCost, result.convertedValue].map(String)).toEqual(['10 USDT', '0.5 USDT', '10.4 USDT'])
    expect(result.remainingDustValue.toString()).toBe('3 USDT')
    expect(result.result.toString()).toBe('13 USDT')
    expect([result.meanDustRatio.numerator, result.meanDustRatio.denominator]).toEqual([3n, 2000n])
    expect(result.maxDustRatio.toDecimalString(3)).toBe('0.002')
    expect(result.maxDustRatioAt).toBe(replay.market.hours[1])
    expect(result.skipped).toEqual({ below_venue_minimum: 2 })
    expect(result.ratios).toHaveLength(2)
    // The scorecard: the cost as it is, 3/2000 of equity is 15 bps, 0.03 USDT of risk over a mean equity of 2,000,000 USDT is 0.00015 bps.
    expect(result.conversionCost.toString()).toBe('0.5 USDT')
    expect([result.liquidationCost, result.openingLiquidationCost, result.allInCost].map(String)).toEqual(['0.1 USDT', '0.25 USDT', '0.35 USDT'])
    expect([result.timeWeightedDustBps.numerator, result.timeWeightedDustBps.denominator]).toEqual([15n, 1n])
    expect(result.exAnteRisk.toString()).toBe('0.03 USDT')
    expect([result.exAnteRiskBps.numerator, result.exAnteRiskBps.denominator]).toEqual([3n, 20_000n])
    expect(result.realisedPnl.toString()).toBe('1 USDT')
  })

  it('reports a run that did nothing as zeros', () => {
    const replay = fixtureReplay()
    const result = summarizeRun(fixtureRun(replay, 'threshold'), {
      shareClass: USDT,
      lastBook: replay.market.priceBook(1),
      hours: 2,
      ideal: Amount.parse(USDT, '4'),
      equitySum: Amount.parse(USDT, '4000000'),
      openingLiquidationCost: Amount.zero(USDT),
      liquidationCost: Amount.zero(USDT),
    })
    expect([result.proceeds, result.remainingDustValue, result.result].map(String)).toEqual(['0 USDT', '0 USDT', '0 USDT'])
    expect(result.meanDustRatio.isZero()).toBe(true)
    expect(result.conversions).toEqual([])
    expect(result.ratios).toBeUndefined()
    expect([result.exAnteRisk, result.realisedPnl, result.allInCost].map(String)).toEqual(['0 USDT', '-4 USDT', '0 USDT'])
    expect(result.exAnteRiskBps.isZero() && result.timeWeightedDustBps.isZero()).toBe(true)
  })
})
