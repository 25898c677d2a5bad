import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { EIGEN, ETH, ETHFI, FIXED_TIME, USDT, WEETH, WETH, amount, price } from '../../../test/fixtureMoney.js'
import { Fraction } from './Fraction.js'
import { createCurrency } from './Currency.js'
import { createPriceBook } from './createPriceBook.js'

const ZRO = createCurrency({ symbol: 'ZRO', decimals: 18 })
const BTC = createCurrency({ symbol: 'BTC', decimals: 8 })

describe('createPriceBook', () => {
  const book = createPriceBook({
    prices: [price(EIGEN, USDT, '1.25'), price(ETH, USDT, '3000', 'binance', FIXED_TIME - 5_000)],
    equivalents: [[WETH, ETH]],
    at: FIXED_TIME,
  })

  it('answers a direct price as given', () => {
    const eigen = book.price(EIGEN, USDT)
    expect(eigen?.perToken().equals(new Fraction(5n, 4n))).toBe(true)
    expect(eigen?.base).toBe(EIGEN)
    expect(eigen?.quote).toBe(USDT)
    expect(eigen?.origin).toEqual({ source: 'static', at: FIXED_TIME })
    expect(eigen?.quoteAmount(amount(EIGEN, '1520'), 'down').toDecimalString()).toBe('1900')
  })

  it('answers the inverse of a price: USDT in EIGEN is 0.8', () => {
    const usdt = book.price(USDT, EIGEN)
    expect(usdt?.perToken().equals(new Fraction(4n, 5n))).toBe(true)
    expect(usdt?.base).toBe(USDT)
    expect(usdt?.quoteAmount(amount(USDT, '100'), 'down').toDecimalString()).toBe('80')
  })

  it('chains EIGEN → USDT → ETH into the exact fraction 1.25 / 3000 = 1/2400', () => {
    const eigenEth = book.price(EIGEN, ETH)
    expect(eigenEth?.perToken().equals(new Fraction(1n, 2400n))).toBe(true)
    expect(eigenEth?.perToken().reduce().numerator).toBe(1n)
    expect(eigenEth?.perToken().reduce().denominator).toBe(2400n)
    // Both are 18-decimal tokens, so the base-unit ratio is the same value (chains are not reduced).
    const ratio = eigenEth?.ratio.reduce()
    expect([ratio?.numerator, ratio?.denominator]).toEqual([1n, 2400n])
    // The chain keeps both sources and the older observation time.
    expect(eigenEth?.origin).toEqual({ source: 'static+binance', at: FIXED_TIME - 5_000 })
    // 1,520 / 2,400 = 0.6333… ETH: exact until the one final rounding.
    expect(eigenEth?.quoteAmount(amount(EIGEN, '1520'), 'down').raw).toBe(633_333_333_333_333_333n)
    expect(eigenEth?.quoteAmount(amount(EIGEN, '1520'), 'up').raw).toBe(633_333_333_333_333_334n)
    // And back: ETH in EIGEN is 2400.
    expect(book.price(ETH, EIGEN)?.perToken().equals(new Fraction(2400n))).toBe(true)
  })

  it('prices declared equivalents one for one (WETH = ETH) and chains through them', () => {
    const parity = book.price(WETH, ETH)
    expect(parity?.perToken().equals(Fraction.ONE)).toBe(true)
    expect(parity?.origin).toEqual({ source: 'parity', at: FIXED_TIME })
    expect(book.price(ETH, WETH)?.perToken().equals(Fraction.ONE)).toBe(true)
    expect(book.price(WETH, USDT)?.perToken().equals(new Fraction(3000n))).toBe(true)
    expect(book.price(EIGEN, WETH)?.perToken().equals(new Fraction(1n, 2400n))).toBe(true)
    expect(book.price(WETH, USDT)?.quoteAmount(amount(WETH, '0.5'), 'down').toDecimalString()).toBe('1500')
  })

  it('prices a currency in itself at exactly 1', () => {
    const identity = book.price(USDT, USDT)
    expect(identity?.perToken().equals(Fraction.ONE)).toBe(true)
    expect(identity?.origin.source).toBe('identity')
  })

  it('answers undefined for a token no price connects, either way', () => {
    expect(book.price(ZRO, USDT)).toBeUndefined()
    expect(book.price(USDT, ZRO)).toBeUndefined()
    expect(book.price(ETHFI, ETH)).toBeUndefined()
    const islands = createPriceBook({ prices: [price(EIGEN, USDT, '1.25'), price(BTC, ETH, '30')], at: FIXED_TIME })
    expect(islands.price(EIGEN, ETH)).toBeUndefined()
    expect(islands.price(BTC, ETH)?.perToken().equals(new Fraction(30n))).toBe(true)
    expect(createPriceBook({ prices: [], at: FIXED_TIME }).price(EIGEN, USDT)).toBeUndefined()
    // A cycle of prices (EIGEN, USDT, ETH) is searched to its end without looping.
    const triangle = createPriceBook({ prices: [price(EIGEN, USDT, '1.25'), price(ETH, USDT, '2500'), price(EIGEN, ETH, '0.0005')], at: FIXED_TIME })
    expect(triangle.price(EIGEN, ZRO)).toBeUndefined()
    // Two chains of the same length reach ETHFI; the first found wins: EIGEN → USDT → ETHFI.
    const diamond = createPriceBook({
      prices: [price(EIGEN, USDT, '1.25'), price(EIGEN, ETH, '0.0006'), price(ETHFI, USDT, '0.95'), price(ETHFI, ETH, '0.0004')],
      at: FIXED_TIME,
    })
    expect(diamond.price(EIGEN, ETHFI)?.perToken().equals(new Fraction(125n, 95n))).toBe(true)
  })

  it('takes the shortest chain: a direct EIGEN/ETH price wins over EIGEN → USDT → ETH', () => {
    const withDirect = createPriceBook({
      prices: [price(EIGEN, USDT, '1.25'), price(ETH, USDT, '2500'), price(EIGEN, ETH, '0.0006', 'dex')],
      at: FIXED_TIME,
    })
    expect(withDirect.price(EIGEN, ETH)?.perToken().equals(Fraction.fromDecimalString('0.0006'))).toBe(true)
    expect(withDirect.price(EIGEN, ETH)?.origin.source).toBe('dex')
    // Two hops (weETH → ETH → USDT) beat three (weETH → ETHFI → EIGEN → USDT).
    const longer = createPriceBook({
      prices: [price(WEETH, ETHFI, '3000'), price(ETHFI, EIGEN, '1'), price(EIGEN, USDT, '1'), price(WEETH, ETH, '1.05'), price(ETH, USDT, '2500')],
      at: FIXED_TIME,
    })
    expect(longer.price(WEETH, USDT)?.perToken().equals(Fraction.fromDecimalString('2625'))).toBe(true)
  })

  it('takes the first source to give a pair', () => {
    const twice = createPriceBook({ prices: [price(EIGEN, USDT, '1.25', 'first'), price(EIGEN, USDT, '1.30', 'second')], at: FIXED_TIME })
    expect(twice.price(EIGEN, USDT)?.origin.source).toBe('first')
    expect(twice.price(EIGEN, USDT)?.perToken().equals(new Fraction(5n, 4n))).toBe(true)
  })

  it('keeps the prices it was made of and answers the same price object for the same pair', () => {
    expect(book.prices).toHaveLength(2)
    expect(book.price(EIGEN, ETH)).toBe(book.price(EIGEN, ETH))
    expect(book.price(ZRO, ETH)).toBe(book.price(ZRO, ETH))
  })

  it('chains exactly: EIGEN in ETH is always the EIGEN price over the ETH price (property)', () => {
    const decimal = fc.bigInt({ min: 1n, max: 10n ** 12n }).map((n) => new Fraction(n, 10n ** 6n))
    fc.assert(
      fc.property(decimal, decimal, (eigenUsdt, ethUsdt) => {
        const chained = createPriceBook({
          prices: [price(EIGEN, USDT, eigenUsdt.toDecimalString(6)), price(ETH, USDT, ethUsdt.toDecimalString(6))],
          at: FIXED_TIME,
        })
        expect(chained.price(EIGEN, ETH)?.perToken().equals(eigenUsdt.divide(ethUsdt))).toBe(true)
        const there = chained.price(EIGEN, ETH)?.perToken() as Fraction
        const back = chained.price(ETH, EIGEN)?.perToken() as Fraction
        expect(there.multiply(back).equals(Fraction.ONE)).toBe(true)
      }),
    )
  })
})
