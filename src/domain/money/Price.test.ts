import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { CurrencyMismatchError } from '../../errors/index.js'
import { Amount } from './Amount.js'
import { createCurrency } from './Currency.js'
import { Fraction } from './Fraction.js'
import { Price } from './Price.js'

const USDT = createCurrency({ symbol: 'USDT', decimals: 6 })
const ETH = createCurrency({ symbol: 'ETH', decimals: 18 })
const WETH = createCurrency({ symbol: 'WETH', decimals: 18 })
const EIGEN = createCurrency({ symbol: 'EIGEN', decimals: 18 })
const ETHFI = createCurrency({ symbol: 'ETHFI', decimals: 18 })
const weETH = createCurrency({ symbol: 'weETH', decimals: 18 })

const STATIC = { source: 'static', at: 1_700_000_000_000 }
const eigenUsdt = Price.fromDecimal(EIGEN, USDT, '1.25', STATIC)
const ethUsdt = Price.fromDecimal(ETH, USDT, '2500', STATIC)

describe('Price', () => {
  it('keeps the rate in base units, so that 1.25 USDT per EIGEN is 1.25e6 / 1e18', () => {
    expect(eigenUsdt.ratio.equals(new Fraction(125n * 10n ** 4n, 10n ** 18n))).toBe(true)
    expect(eigenUsdt.perToken().equals(new Fraction(5n, 4n))).toBe(true)
    expect(eigenUsdt.base).toBe(EIGEN)
    expect(eigenUsdt.quote).toBe(USDT)
    expect(eigenUsdt.origin).toEqual(STATIC)
  })

  it('values 1,520 EIGEN at 1.25 as exactly 1,900 USDT, and 800 ETHFI at 0.95 as 760', () => {
    const eigen = Amount.parse(EIGEN, '1520')
    const value = eigenUsdt.quoteAmount(eigen, 'down')
    expect(value.currency).toBe(USDT)
    expect(value.raw).toBe(1_900_000_000n)
    expect(value.toDecimalString()).toBe('1900')
    expect(eigenUsdt.quoteAmount(eigen, 'up').raw).toBe(1_900_000_000n)
    const ethfi = Price.fromDecimal(ETHFI, USDT, '0.95', STATIC).quoteAmount(Amount.parse(ETHFI, '800'), 'down')
    expect(value.add(ethfi).toDecimalString()).toBe('2660')
  })

  it('rounds a value below one quote base unit as asked', () => {
    const oneWei = Amount.fromRaw(EIGEN, 1n)
    expect(eigenUsdt.quoteAmount(oneWei, 'down').raw).toBe(0n)
    expect(eigenUsdt.quoteAmount(oneWei, 'up').raw).toBe(1n)
    expect(eigenUsdt.quoteAmount(oneWei, 'half_up').raw).toBe(0n)
  })

  it('refuses to value an amount of another currency', () => {
    expect(() => eigenUsdt.quoteAmount(Amount.parse(ETHFI, '1'), 'down')).toThrow(CurrencyMismatchError)
    expect(() => eigenUsdt.quoteAmount(Amount.parse(ETHFI, '1'), 'down')).toThrow('Cannot value with a EIGEN/USDT price: expected an amount in EIGEN, found one in ETHFI.')
  })

  it('inverts exactly: 1,900 USDT buys back 1,520 EIGEN at 1/1.25', () => {
    const usdtEigen = eigenUsdt.invert()
    expect(usdtEigen.base).toBe(USDT)
    expect(usdtEigen.quote).toBe(EIGEN)
    expect(usdtEigen.perToken().equals(new Fraction(4n, 5n))).toBe(true)
    expect(usdtEigen.quoteAmount(Amount.parse(USDT, '1900'), 'down').toDecimalString()).toBe('1520')
  })

  it('chains EIGEN/USDT × invert(ETH/USDT) into EIGEN/ETH', () => {
    const eigenEth = eigenUsdt.multiply(ethUsdt.invert())
    expect(eigenEth.base).toBe(EIGEN)
    expect(eigenEth.quote).toBe(ETH)
    expect(eigenEth.perToken().equals(new Fraction(1n, 2000n))).toBe(true)
    expect(eigenEth.toSignificant(4)).toBe('0.0005')
    const value = eigenEth.quoteAmount(Amount.parse(EIGEN, '1520'), 'down')
    expect(value.raw).toBe(76n * 10n ** 16n)
    expect(value.toDecimalString()).toBe('0.76')
    expect(eigenEth.origin).toEqual(STATIC)
  })

  it('chains an LST through its exchange rate: weETH/ETH × ETH/USDT', () => {
    const oracle = { source: 'aave_oracle', at: 1_759_104_000_000 }
    const weethEth = Price.fromDecimal(weETH, ETH, '1.0778675663760975', oracle)
    const weethUsdt = weethEth.multiply(ethUsdt)
    expect(weethUsdt.perToken().toDecimalString(18)).toBe('2694.66891594024375')
    expect(weethUsdt.toSignificant(8)).toBe('2694.6689')
    expect(weethEth.quoteAmount(Amount.parse(weETH, '936'), 'down').toDecimalString()).toBe('1008.88404212802726')
    // Two sources are named together and the older observation time is kept.
    expect(weethUsdt.origin).toEqual({ source: 'aave_oracle+static', at: STATIC.at })
  })

  it('refuses to chain prices that do not meet', () => {
    expect(() => eigenUsdt.multiply(ethUsdt)).toThrow(CurrencyMismatchError)
    expect(() => eigenUsdt.multiply(ethUsdt)).toThrow('Cannot chain the EIGEN/USDT price: expected an amount in USDT, found one in ETH.')
  })

  it('prices a currency at parity with its equivalent (WETH as ETH)', () => {
    const parity = Price.parity(WETH, ETH, STATIC)
    expect(parity.quoteAmount(Amount.parse(WETH, '1.5'), 'down').toDecimalString()).toBe('1.5')
    expect(Price.parity(USDT, USDT, STATIC).ratio.equals(Fraction.ONE)).toBe(true)
  })

  it('writes significant digits for people and an exact decimal string for JSON', () => {
    expect(ethUsdt.toSignificant()).toBe('2500')
    expect(Price.fromTokens(EIGEN, USDT, new Fraction(1n, 3n), STATIC).toSignificant(4)).toBe('0.3333')
    expect(JSON.stringify({ price: eigenUsdt })).toBe('{"price":"1.25"}')
    expect(JSON.stringify(eigenUsdt.invert())).toBe('"0.8"')
  })

  it('conserves value through a chain: quoting via an intermediate currency never beats the direct rate when rounding down', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 30n }), fc.bigInt({ min: 1n, max: 10n ** 8n }), fc.bigInt({ min: 1n, max: 10n ** 8n }), (raw, eigenCents, ethCents) => {
        const a = Price.fromTokens(EIGEN, USDT, new Fraction(eigenCents, 100n), STATIC)
        const b = Price.fromTokens(ETH, USDT, new Fraction(ethCents, 100n), STATIC)
        const direct = a.multiply(b.invert())
        const held = Amount.fromRaw(EIGEN, raw)
        // Selling EIGEN for USDT then USDT for ETH, each rounding down, yields no more than the chained rate.
        const twoSteps = b.invert().quoteAmount(a.quoteAmount(held, 'down'), 'down')
        expect(twoSteps.raw <= direct.quoteAmount(held, 'down').raw).toBe(true)
      }),
    )
  })
})
