import { describe, expect, it } from 'vitest'
import { Amount, Fraction, createCurrency } from '../money/index.js'
import { VOLATILITY_SCALE } from './holdingRisk.js'
import { scorecard } from './scorecard.js'

const USDT = createCurrency({ symbol: 'USDT', decimals: 6, chain: 'ethereum' })
const ETH = createCurrency({ symbol: 'ETH', decimals: 18, chain: 'ethereum' })
const usdt = (text: string) => Amount.parse(USDT, text)
const parts = (fraction: Fraction) => [fraction.numerator, fraction.denominator]

describe('scorecard', () => {
  it('scores a run from its sums, by hand', () => {
    // Three hours of 1,000,000 USDT equity; dust of 200 USDT at 1 %/h for two of them (2 USDT of risk each), none the third.
    const card = scorecard({
      conversionCost: usdt('12.5'),
      openingLiquidationCost: usdt('1.25'),
      liquidationCost: usdt('3'),
      meanDustRatio: new Fraction(400n, 3_000_000n),
      riskSum: 2n * 2_000_000n * VOLATILITY_SCALE,
      equitySum: usdt('3000000'),
      hours: 3,
      result: usdt('990'),
      ideal: usdt('1000'),
    })
    expect(card.conversionCost.toString()).toBe('12.5 USDT')
    // 12.5 of conversions, 3 to sell what is left at the end, less 1.25 to sell what was carried in.
    expect([card.liquidationCost, card.openingLiquidationCost, card.allInCost].map(String)).toEqual(['3 USDT', '1.25 USDT', '14.25 USDT'])
    // (400 / 3,000,000) × 10,000 = 4/3 bps.
    expect(parts(card.timeWeightedDustBps)).toEqual([4n, 3n])
    // 4 USDT summed over the hours, against a mean equity of 1,000,000 USDT: 0.04 bps.
    expect(card.exAnteRisk.toString()).toBe('4 USDT')
    expect(parts(card.exAnteRiskBps)).toEqual([1n, 25n])
    expect(card.realisedPnl.toString()).toBe('-10 USDT')
  })

  it('rounds the risk in the share class up, and keeps it exact in bps', () => {
    const card = scorecard({
      conversionCost: usdt('0'),
      openingLiquidationCost: usdt('0'),
      liquidationCost: usdt('0'),
      meanDustRatio: Fraction.ZERO,
      riskSum: VOLATILITY_SCALE + 1n,
      equitySum: Amount.fromRaw(USDT, 7n),
      hours: 1,
      result: usdt('0'),
      ideal: usdt('0'),
    })
    expect(card.exAnteRisk.raw).toBe(2n)
    // (10^18 + 1) × 10,000 / (10^18 × 7), reduced by 10,000.
    expect(parts(card.exAnteRiskBps)).toEqual([VOLATILITY_SCALE + 1n, (VOLATILITY_SCALE / 10_000n) * 7n])
  })

  it('can come to an all-in cost below zero: selling what was carried in would have cost more than selling what is left', () => {
    const card = scorecard({
      conversionCost: usdt('0'),
      openingLiquidationCost: usdt('2'),
      liquidationCost: usdt('1.5'),
      meanDustRatio: Fraction.ZERO,
      riskSum: 0n,
      equitySum: usdt('1'),
      hours: 1,
      result: usdt('0'),
      ideal: usdt('0'),
    })
    expect(card.allInCost.toString()).toBe('-0.5 USDT')
  })

  it('scores a run that held nothing as no risk, even against no equity', () => {
    const card = scorecard({
      conversionCost: usdt('0'),
      openingLiquidationCost: usdt('0'),
      liquidationCost: usdt('0'),
      meanDustRatio: Fraction.ZERO,
      riskSum: 0n,
      equitySum: usdt('0'),
      hours: 0,
      result: usdt('0'),
      ideal: usdt('0'),
    })
    expect(card.exAnteRisk.isZero() && card.exAnteRiskBps.isZero() && card.timeWeightedDustBps.isZero()).toBe(true)
  })

  it('refuses risk against no equity, negative sums and mixed currencies, saying what it found', () => {
    const base = {
      conversionCost: usdt('1'),
      openingLiquidationCost: usdt('0'),
      liquidationCost: usdt('0'),
      meanDustRatio: Fraction.ZERO,
      riskSum: 1n,
      equitySum: usdt('0'),
      hours: 2,
      result: usdt('0'),
      ideal: usdt('0'),
    }
    expect(() => scorecard(base)).toThrow(expect.objectContaining({ code: 'invalid_parameter', details: 'Expected a positive equity summed over 2 hours, found 0 USDT.' }))
    expect(() => scorecard({ ...base, riskSum: -1n })).toThrow(
      expect.objectContaining({ details: 'Expected a whole number of hours of at least 0 and a risk sum of at least 0, found 2 hours and a risk sum of -1.' }),
    )
    expect(() => scorecard({ ...base, ideal: Amount.parse(ETH, '1') })).toThrow('Cannot score a run: expected an amount in USDT, found one in ETH.')
    expect(() => scorecard({ ...base, liquidationCost: Amount.parse(ETH, '1') })).toThrow('Cannot score a run: expected an amount in USDT, found one in ETH.')
  })
})
