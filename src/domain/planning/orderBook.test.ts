import { describe, expect, it } from 'vitest'
import { InvalidAmountError } from '../../errors/index.js'
import { Fraction, createCurrency } from '../money/index.js'
import { createOrderBookLevel } from './orderBook.js'

const EIGEN = createCurrency({ symbol: 'EIGEN', decimals: 18 })
const USDT = createCurrency({ symbol: 'USDT', decimals: 6 })
const WBTC = createCurrency({ symbol: 'WBTC', decimals: 8 })

describe('createOrderBookLevel', () => {
  it('converts a price per whole token to quote base units per base base unit', () => {
    const level = createOrderBookLevel(EIGEN, USDT, '1.25', '100')
    // 1.25 USDT per EIGEN = 1_250_000 USDT units per 10^18 EIGEN units.
    expect(level.price.equals(new Fraction(1_250_000n, 10n ** 18n))).toBe(true)
    expect(level.price.numerator).toBe(1n)
    expect(level.price.denominator).toBe(800_000_000_000n)
    expect(level.size).toBe(100n * 10n ** 18n)
  })

  it('keeps a price above one base unit per base unit exact', () => {
    const level = createOrderBookLevel(WBTC, USDT, '65000.5', '0.00000001')
    // 65000.5 × 10^6 / 10^8 = 650.005 = 130001/200.
    expect(level.price.numerator).toBe(130_001n)
    expect(level.price.denominator).toBe(200n)
    expect(level.size).toBe(1n)
  })

  it('refuses a price that is not positive', () => {
    expect(() => createOrderBookLevel(EIGEN, USDT, '0', '1')).toThrow(InvalidAmountError)
    expect(() => createOrderBookLevel(EIGEN, USDT, '-1.25', '1')).toThrow('An order book price must be positive, found "-1.25" USDT per EIGEN.')
  })

  it('refuses a size that is not positive or does not fit the decimals', () => {
    expect(() => createOrderBookLevel(EIGEN, USDT, '1.25', '0')).toThrow('An order book level size must be positive, found "0" EIGEN.')
    expect(() => createOrderBookLevel(WBTC, USDT, '65000', '0.000000001')).toThrow(InvalidAmountError)
  })

  it('refuses text that is not a decimal number', () => {
    expect(() => createOrderBookLevel(EIGEN, USDT, '1e3', '1')).toThrow(InvalidAmountError)
    expect(() => createOrderBookLevel(EIGEN, USDT, '1.25', 'ten')).toThrow(InvalidAmountError)
  })
})
