import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { CurrencyMismatchError, InvalidAmountError } from '../../errors/index.js'
import { Amount, sumAmounts } from './Amount.js'
import { createCurrency } from './Currency.js'
import { Fraction, formatScaled } from './Fraction.js'
import { Price } from './Price.js'

const USDT = createCurrency({ symbol: 'USDT', decimals: 6, chain: 'ethereum', address: '0xdAC17F958D2ee523a2206206994597C13D831ec7' })
const EIGEN = createCurrency({ symbol: 'EIGEN', decimals: 18, chain: 'ethereum', address: '0xec53bF9167f50cDEB3Ae105f56099aaaB9061F83' })
/** A USDT bridged with 18 decimals (as on BNB Chain): same symbol, another unit. */
const USDT18 = createCurrency({ symbol: 'USDT', decimals: 18, chain: 'bsc' })

describe('Amount', () => {
  it('reads decimal strings into base units', () => {
    expect(Amount.parse(USDT, '1.25').raw).toBe(1_250_000n)
    expect(Amount.parse(USDT, '0.000001').raw).toBe(1n)
    expect(Amount.parse(EIGEN, '1520').raw).toBe(1520n * 10n ** 18n)
    expect(Amount.parse(EIGEN, '0.000000000000000001').raw).toBe(1n)
    expect(Amount.parse(USDT, '-2.5').raw).toBe(-2_500_000n)
  })

  it('refuses more decimals than the currency has unless a rounding is given', () => {
    expect(() => Amount.parse(USDT, '1.2345678')).toThrow(InvalidAmountError)
    expect(() => Amount.parse(USDT, '1.2345678')).toThrow('USDT has 6 decimals, so "1.2345678" cannot be held exactly')
    expect(Amount.parse(USDT, '1.2345678', 'down').raw).toBe(1_234_567n)
    expect(Amount.parse(USDT, '1.2345678', 'up').raw).toBe(1_234_568n)
    expect(Amount.parse(USDT, '1.2345675', 'half_up').raw).toBe(1_234_568n)
    // Trailing zeros beyond the decimals are exact, so they are accepted.
    expect(Amount.parse(USDT, '1.250000000').raw).toBe(1_250_000n)
  })

  it('refuses text that is not a decimal, naming the currency and the text', () => {
    expect(() => Amount.parse(EIGEN, '1,5')).toThrow(InvalidAmountError)
    expect(() => Amount.parse(EIGEN, '1e18')).toThrow('Expected a decimal amount of EIGEN such as "1.5", found "1e18".')
  })

  it('cannot add a 6-decimal and an 18-decimal amount', () => {
    const six = Amount.parse(USDT, '1')
    const eighteen = Amount.parse(USDT18, '1')
    expect(() => six.add(eighteen)).toThrow(CurrencyMismatchError)
    expect(() => six.subtract(eighteen)).toThrow(CurrencyMismatchError)
    expect(() => six.compare(eighteen)).toThrow(CurrencyMismatchError)
    expect(() => six.add(Amount.parse(EIGEN, '1'))).toThrow('Cannot add: expected an amount in USDT, found one in EIGEN.')
    try {
      six.add(eighteen)
    } catch (error) {
      expect(error).toMatchObject({ name: 'CurrencyMismatchError', code: 'currency_mismatch' })
    }
  })

  it('adds, subtracts and compares amounts of one currency', () => {
    const claimable = Amount.parse(EIGEN, '1500')
    const wallet = Amount.parse(EIGEN, '20')
    expect(claimable.add(wallet).toDecimalString()).toBe('1520')
    expect(wallet.subtract(claimable).toDecimalString()).toBe('-1480')
    expect(wallet.subtract(claimable).isNegative()).toBe(true)
    expect(claimable.compare(wallet)).toBe(1)
    expect(wallet.compare(claimable)).toBe(-1)
    expect(wallet.compare(Amount.parse(EIGEN, '20.0'))).toBe(0)
    expect(wallet.lessThan(claimable)).toBe(true)
    expect(claimable.greaterThan(wallet)).toBe(true)
    expect(wallet.equals(Amount.fromRaw(EIGEN, 20n * 10n ** 18n))).toBe(true)
    expect(claimable.min(wallet)).toBe(wallet)
    expect(claimable.max(wallet)).toBe(claimable)
    expect(wallet.min(claimable)).toBe(wallet)
    expect(wallet.max(claimable)).toBe(claimable)
  })

  it('tells zero, positive and negative apart', () => {
    expect(Amount.zero(USDT).isZero()).toBe(true)
    expect(Amount.zero(USDT).isPositive()).toBe(false)
    expect(Amount.fromRaw(USDT, 1n).isPositive()).toBe(true)
    expect(Amount.fromRaw(USDT, -1n).isNegative()).toBe(true)
    expect(Amount.fromRaw(USDT, -1n).toDecimalString()).toBe('-0.000001')
  })

  it('multiplies by an exact factor with the rounding asked', () => {
    const one = Amount.parse(USDT, '1')
    expect(one.multiply(new Fraction(1n, 3n), 'down').raw).toBe(333_333n)
    expect(one.multiply(new Fraction(1n, 3n), 'up').raw).toBe(333_334n)
    expect(one.multiply(new Fraction(2n, 3n), 'half_up').raw).toBe(666_667n)
    expect(Amount.fromTokens(USDT, new Fraction(1n, 3n), 'down').raw).toBe(333_333n)
    expect(Amount.fromTokens(USDT, new Fraction(1n, 3n), 'up').raw).toBe(333_334n)
  })

  it('rounds down to an exchange amount step', () => {
    const held = Amount.parse(EIGEN, '1520.123456789')
    const step = Amount.parse(EIGEN, '0.01').raw
    expect(held.floorToStep(step).toDecimalString()).toBe('1520.12')
    expect(Amount.parse(EIGEN, '1520').floorToStep(step).toDecimalString()).toBe('1520')
    expect(() => held.floorToStep(0n)).toThrow(InvalidAmountError)
    expect(() => held.floorToStep(-1n)).toThrow('An amount step must be positive, found -1.')
  })

  it('writes exact strings at the edges: toDecimalString, toFixed, toJSON, toString', () => {
    const amount = Amount.parse(USDT, '1.25')
    expect(amount.toDecimalString()).toBe('1.25')
    expect(amount.toDecimalPlaces(4)).toBe('1.2500')
    expect(amount.toDecimalPlaces(1)).toBe('1.3')
    expect(amount.toDecimalPlaces(1, 'down')).toBe('1.2')
    expect(amount.toString()).toBe('1.25 USDT')
    expect(JSON.stringify({ amount })).toBe('{"amount":"1.25"}')
    expect(amount.toTokens().equals(new Fraction(5n, 4n))).toBe(true)
  })

  it('sums amounts of one currency, the empty sum being zero', () => {
    expect(sumAmounts(USDT, []).equals(Amount.zero(USDT))).toBe(true)
    const total = sumAmounts(
      USDT,
      ['1900', '760'].map((text) => Amount.parse(USDT, text)),
    )
    expect(total.toDecimalString()).toBe('2660')
    expect(() => sumAmounts(USDT, [Amount.parse(USDT18, '1')])).toThrow(CurrencyMismatchError)
  })
})

describe('Amount properties', () => {
  const decimalsArb = fc.integer({ min: 0, max: 36 })
  const currencyArb = decimalsArb.map((decimals) => createCurrency({ symbol: `T${decimals}`, decimals }))

  it('reads back what it writes: parse(format(raw)) = raw', () => {
    fc.assert(
      fc.property(currencyArb, fc.bigInt({ min: -(10n ** 40n), max: 10n ** 40n }), (currency, raw) => {
        const text = Amount.fromRaw(currency, raw).toDecimalString()
        expect(text).toBe(formatScaled(raw, currency.decimals))
        expect(Amount.parse(currency, text).raw).toBe(raw)
        expect(Amount.parse(currency, text).toDecimalString()).toBe(text)
      }),
    )
  })

  it('rounds a parsed string down ≤ exact ≤ up, at most one base unit apart', () => {
    fc.assert(
      fc.property(currencyArb, fc.bigInt({ min: 0n, max: 10n ** 40n }), fc.integer({ min: 0, max: 12 }), (currency, digits, extra) => {
        // A string with `extra` more decimals than the currency holds.
        const text = formatScaled(digits, currency.decimals + extra)
        const exact = Fraction.fromDecimalString(text).multiply(10n ** BigInt(currency.decimals))
        const down = Amount.parse(currency, text, 'down').raw
        const up = Amount.parse(currency, text, 'up').raw
        expect(new Fraction(down).compare(exact)).toBeLessThanOrEqual(0)
        expect(new Fraction(up).compare(exact)).toBeGreaterThanOrEqual(0)
        expect(up - down).toBe(exact.reduce().denominator === 1n ? 0n : 1n)
      }),
    )
  })

  it('never gives back more than it started with when converted at p and back at 1/p rounding down', () => {
    const priceArb = fc.tuple(fc.bigInt({ min: 1n, max: 10n ** 12n }), fc.bigInt({ min: 1n, max: 10n ** 12n })).map(([numerator, denominator]) => new Fraction(numerator, denominator))
    fc.assert(
      fc.property(currencyArb, currencyArb, priceArb, fc.bigInt({ min: 0n, max: 10n ** 40n }), (from, toBase, perToken, raw) => {
        const to = createCurrency({ symbol: `Q${toBase.decimals}`, decimals: toBase.decimals })
        const price = Price.fromTokens(from, to, perToken, { source: 'test', at: 0 })
        const held = Amount.fromRaw(from, raw)
        const promised = price.quoteAmount(held, 'down')
        // The quote never promises more than the exact value of what is held.
        expect(new Fraction(promised.raw).compare(price.ratio.multiply(raw))).toBeLessThanOrEqual(0)
        const back = price.invert().quoteAmount(promised, 'down')
        expect(back.raw <= held.raw).toBe(true)
        // Rounding up both ways is the mirror image: it never gives back less.
        const backUp = price.invert().quoteAmount(price.quoteAmount(held, 'up'), 'up')
        expect(backUp.raw >= held.raw).toBe(true)
      }),
    )
  })

  it('floors to a step without exceeding the amount, leaving less than one step behind', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 40n }), fc.bigInt({ min: 1n, max: 10n ** 20n }), (raw, step) => {
        const held = Amount.fromRaw(EIGEN, raw)
        const sold = held.floorToStep(step)
        const residual = held.subtract(sold)
        expect(sold.raw <= held.raw).toBe(true)
        expect(sold.raw % step).toBe(0n)
        expect(residual.raw >= 0n && residual.raw < step).toBe(true)
      }),
    )
  })

  it('multiplies by a factor ≤ 1 rounding down without exceeding the amount', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 40n }), fc.bigInt({ min: 1n, max: 10n ** 9n }), fc.bigInt({ min: 0n, max: 10n ** 9n }), (raw, denominator, numerator) => {
        fc.pre(numerator <= denominator)
        const held = Amount.fromRaw(EIGEN, raw)
        expect(held.multiply(new Fraction(numerator, denominator), 'down').raw <= raw).toBe(true)
      }),
    )
  })
})
