import { describe, expect, it } from 'vitest'
import { EIGEN, ETHFI, USDT, price } from '../../../test/fixtureMoney.js'
import { Fraction, createPriceBook } from '../../domain/money/index.js'
import { BaseError } from '../../errors/index.js'
import { scheduleCredits } from './scheduleCredits.js'

const HOUR = 3_600_000
const T0 = Date.UTC(2025, 0, 1)
const HOURS = [T0, T0 + HOUR, T0 + 2 * HOUR]
/** EIGEN is worth 2, 3 and 4 USDT at the three hours; ETHFI has no price. */
const market = {
  hours: HOURS,
  priceBook: (index: number) => createPriceBook({ prices: [price(EIGEN, USDT, String(index + 2))], at: HOURS[index] ?? T0 }),
}
const registry = new Map([EIGEN, ETHFI, USDT].map((currency) => [currency.symbol, currency] as const))
const tokens = (text: string) => Fraction.fromDecimalString(text)

describe('scheduleCredits', () => {
  it('places each credit on the next hour start, in base units rounded down, and values it there', () => {
    const schedule = scheduleCredits({
      market,
      registry,
      shareClass: USDT,
      credits: [
        { at: T0, token: 'EIGEN', amount: tokens('1.5') },
        { at: T0 + HOUR / 2, token: 'EIGEN', amount: new Fraction(1n, 3n) },
        { at: T0 + HOUR, token: 'ETHFI', amount: tokens('7') },
      ],
    })
    expect([...schedule.creditsAt.keys()]).toEqual([0, 1])
    expect(schedule.creditsAt.get(0)?.map(String)).toEqual(['1.5 EIGEN'])
    // One third of a token is 333333333333333333.33… base units: the fraction is dropped.
    expect(schedule.creditsAt.get(1)?.map((amount) => amount.raw)).toEqual([333_333_333_333_333_333n, 7n * 10n ** 18n])
    expect(schedule.received.get('EIGEN')?.raw).toBe(1_833_333_333_333_333_333n)
    expect(schedule.received.get('ETHFI')?.toString()).toBe('7 ETHFI')
    // 1.5 × 2 + 0.333… × 3 (rounded down to 0.999999 USDT); the unpriced ETHFI adds nothing.
    expect(schedule.ideal.toString()).toBe('3.999999 USDT')
    // Without a score index every credit is scored.
    expect(schedule.scoredIdeal.toString()).toBe('3.999999 USDT')
    expect(schedule.creditsOutside).toBe(0)

    // From hour 1 on: only the 0.333… EIGEN of hour 1 (0.999999 USDT), valued as the ideal values it.
    const later = scheduleCredits({
      market,
      registry,
      shareClass: USDT,
      credits: [
        { at: T0, token: 'EIGEN', amount: tokens('1.5') },
        { at: T0 + HOUR / 2, token: 'EIGEN', amount: new Fraction(1n, 3n) },
      ],
      scoreIndex: 1,
    })
    expect(later.ideal.toString()).toBe('3.999999 USDT')
    expect(later.scoredIdeal.toString()).toBe('0.999999 USDT')
  })

  it('counts and leaves out the credits before the first hour or after the last', () => {
    const schedule = scheduleCredits({
      market,
      registry,
      shareClass: USDT,
      credits: [
        { at: T0 - 1, token: 'EIGEN', amount: tokens('1') },
        { at: T0 + 2 * HOUR, token: 'EIGEN', amount: tokens('1') },
        { at: T0 + 2 * HOUR + 1, token: 'EIGEN', amount: tokens('1') },
      ],
    })
    expect([...schedule.creditsAt.keys()]).toEqual([2])
    expect(schedule.ideal.toString()).toBe('4 USDT')
    expect(schedule.creditsOutside).toBe(2)
  })

  it('leaves every credit out of a replay with no hour', () => {
    const empty = { hours: [], priceBook: market.priceBook }
    const schedule = scheduleCredits({ market: empty, registry, shareClass: USDT, credits: [{ at: T0, token: 'EIGEN', amount: tokens('1') }] })
    expect(schedule.creditsAt.size).toBe(0)
    expect(schedule.received.size).toBe(0)
    expect(schedule.ideal.raw).toBe(0n)
    expect(schedule.creditsOutside).toBe(1)
  })

  it('throws on a credit of a token the strategy does not define', () => {
    const run = () => scheduleCredits({ market, registry: new Map([['USDT', USDT]]), shareClass: USDT, credits: [{ at: T0, token: 'ETHFI', amount: tokens('1') }] })
    expect(run).toThrow(BaseError)
    expect(run).toThrow("The backtest credits ETHFI, which the strategy's tokens do not define.\nExpected ETHFI among the tokens, found USDT.")
  })
})
