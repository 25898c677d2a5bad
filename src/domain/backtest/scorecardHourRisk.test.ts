import { describe, expect, it } from 'vitest'
import { Amount, createCurrency } from '../money/index.js'
import { VOLATILITY_SCALE } from './holdingRisk.js'
import { scorecardHourRisk } from './scorecardHourRisk.js'

const USDT = createCurrency({ symbol: 'USDT', decimals: 6, chain: 'ethereum' })
const ETH = createCurrency({ symbol: 'ETH', decimals: 18, chain: 'ethereum' })
const usdt = (text: string) => Amount.parse(USDT, text)
/** A volatility given in percent per hour, scaled. */
const percent = (value: bigint) => (value * VOLATILITY_SCALE) / 100n

describe('scorecardHourRisk', () => {
  it('sums value × volatility over the holdings, exactly, at the scale of the volatilities', () => {
    // 100 USDT of EIGEN at 2 %/h and 50 USDT of ETHFI at 3 %/h: 2 + 1.5 = 3.5 USDT of risk.
    const risk = scorecardHourRisk([
      { value: usdt('100'), volatility: percent(2n) },
      { value: usdt('50'), volatility: percent(3n) },
    ])
    expect(risk).toBe(3_500_000n * VOLATILITY_SCALE)
    // The smallest amount at the smallest volatility is not rounded away.
    expect(scorecardHourRisk([{ value: Amount.fromRaw(USDT, 1n), volatility: 1n }])).toBe(1n)
  })

  it('is zero with no dust held, or with dust whose price has not moved', () => {
    expect(scorecardHourRisk([])).toBe(0n)
    expect(scorecardHourRisk([{ value: usdt('1000'), volatility: 0n }])).toBe(0n)
  })

  it('refuses values in two currencies', () => {
    expect(() =>
      scorecardHourRisk([
        { value: usdt('1'), volatility: 1n },
        { value: Amount.parse(ETH, '1'), volatility: 1n },
      ]),
    ).toThrow('Cannot add: expected an amount in USDT, found one in ETH.')
  })
})
