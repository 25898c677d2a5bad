import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { CurrencyMismatchError, InvalidAmountError } from '../../errors/index.js'
import { Amount, Fraction, createCurrency } from '../money/index.js'
import { type OrderBookLevel, type OrderBookMarket, createOrderBookLevel } from './orderBook.js'
import { quoteOrderBookSell as quoteOrderBookSellReference } from '../../../test/reference/quoteOrderBookSell.js'
import { quoteOrderBookSell } from './quoteOrderBookSell.js'

const EIGEN = createCurrency({ symbol: 'EIGEN', decimals: 18 })
const USDT = createCurrency({ symbol: 'USDT', decimals: 6 })
const E18 = 10n ** 18n

function market(overrides: Partial<OrderBookMarket> = {}): OrderBookMarket {
  return {
    symbol: 'EIGEN/USDT',
    base: EIGEN,
    quote: USDT,
    bids: [createOrderBookLevel(EIGEN, USDT, '1.25', '100'), createOrderBookLevel(EIGEN, USDT, '1.24', '200'), createOrderBookLevel(EIGEN, USDT, '1.2', '1000')],
    asks: [],
    takerFeeBps: new Fraction(10n),
    minNotional: Amount.parse(USDT, '5'),
    amountStep: 10n ** 16n, // 0.01 EIGEN
    ...overrides,
  }
}

describe('quoteOrderBookSell', () => {
  it('rounds to the amount step and walks the bids best first', () => {
    const fill = quoteOrderBookSell(market(), Amount.parse(EIGEN, '150.004'))
    if (!fill.ok) throw new Error(fill.detail)
    expect(fill.amountIn.toString()).toBe('150 EIGEN')
    expect(fill.residual.toString()).toBe('0.004 EIGEN')
    // 100 × 1.25 + 50 × 1.24 = 125 + 62 = 187 USDT; 0.1 % of it is 0.187 USDT.
    expect(fill.notional.raw).toBe(187_000_000n)
    expect(fill.fee.raw).toBe(187_000n)
    expect(fill.fee.currency).toBe(USDT)
    expect(fill.amountOut.raw).toBe(186_813_000n)
    expect(fill.levelsUsed).toBe(2)
    expect(fill.averagePrice.equals(new Fraction(187_000_000n, 150n * E18))).toBe(true)
    expect(fill.minNotional.toString()).toBe('5 USDT')
  })

  it('floors the proceeds to quote base units and rounds the fee up', () => {
    const fill = quoteOrderBookSell(market({ amountStep: undefined }), Amount.fromRaw(EIGEN, 333_333_333_333_333_333n))
    if (!fill.ok) throw new Error(fill.detail)
    // 0.333333333333333333 × 1.25 = 0.41666666666666666625 USDT, floored to 0.416666.
    expect(fill.notional.raw).toBe(416_666n)
    // 416666 × 10 / 10000 = 416.666 units, rounded up to 417.
    expect(fill.fee.raw).toBe(417n)
    expect(fill.amountOut.raw).toBe(416_249n)
    expect(fill.residual.raw).toBe(0n)
    expect(fill.levelsUsed).toBe(1)
  })

  it('takes a whole level and nothing of the next when the amount matches it', () => {
    const fill = quoteOrderBookSell(market(), Amount.parse(EIGEN, '100'))
    if (!fill.ok) throw new Error(fill.detail)
    expect(fill.levelsUsed).toBe(1)
    expect(fill.notional.toString()).toBe('125 USDT')
    expect(fill.amountOut.toString()).toBe('124.875 USDT')
    expect(fill.residual.isZero()).toBe(true)
  })

  it('reports an order under the venue minimum without refusing it', () => {
    const fill = quoteOrderBookSell(market(), Amount.parse(EIGEN, '1'))
    if (!fill.ok) throw new Error(fill.detail)
    expect(fill.notional.toString()).toBe('1.25 USDT')
    expect(fill.minNotional.toString()).toBe('5 USDT')
    // 1.25 USDT × 0.1 % = 0.00125 USDT, rounded up to 0.001250 exactly.
    expect(fill.fee.raw).toBe(1_250n)
  })

  it('charges no fee at 0 bps and a fractional one exactly', () => {
    const free = quoteOrderBookSell(market({ takerFeeBps: Fraction.ZERO }), Amount.parse(EIGEN, '10'))
    if (!free.ok) throw new Error(free.detail)
    expect(free.fee.raw).toBe(0n)
    expect(free.amountOut.toString()).toBe('12.5 USDT')
    // 7.5 bps of 12.5 USDT = 0.009375 USDT.
    const fractional = quoteOrderBookSell(market({ takerFeeBps: new Fraction(15n, 2n) }), Amount.parse(EIGEN, '10'))
    if (!fractional.ok) throw new Error(fractional.detail)
    expect(fractional.fee.raw).toBe(9_375n)
  })

  it('skips empty levels without counting them', () => {
    const bids = [{ price: new Fraction(2n, E18 / 1_000_000n), size: 0n }, ...market().bids]
    const fill = quoteOrderBookSell(market({ bids }), Amount.parse(EIGEN, '100'))
    if (!fill.ok) throw new Error(fill.detail)
    expect(fill.levelsUsed).toBe(1)
    expect(fill.notional.toString()).toBe('125 USDT')
  })

  it('fails with insufficient_liquidity when the bids cannot absorb the amount', () => {
    const fill = quoteOrderBookSell(market(), Amount.parse(EIGEN, '1300.01'))
    expect(fill).toEqual({
      ok: false,
      reason: 'insufficient_liquidity',
      detail: 'The bids of EIGEN/USDT hold 1300 EIGEN in all, less than the 1300.01 EIGEN to sell.',
    })
    expect(quoteOrderBookSell(market({ bids: [] }), Amount.parse(EIGEN, '1')).ok).toBe(false)
  })

  it('fails with below_amount_step when the step rounds the amount to nothing', () => {
    expect(quoteOrderBookSell(market(), Amount.parse(EIGEN, '0.009'))).toEqual({
      ok: false,
      reason: 'below_amount_step',
      detail: 'Rounding 0.009 EIGEN down to the amount step of 0.01 EIGEN on EIGEN/USDT leaves nothing to sell.',
    })
    const nothing = quoteOrderBookSell(market({ amountStep: undefined }), Amount.zero(EIGEN))
    expect(nothing.ok === false && nothing.reason).toBe('below_amount_step')
  })

  it('refuses an amount in another currency, a negative amount, a fee out of range and a bad level', () => {
    expect(() => quoteOrderBookSell(market(), Amount.parse(USDT, '1'))).toThrow(CurrencyMismatchError)
    expect(() => quoteOrderBookSell(market(), Amount.parse(EIGEN, '-1'))).toThrow('The amount to sell on EIGEN/USDT must be at least zero, found -1 EIGEN.')
    expect(() => quoteOrderBookSell(market({ takerFeeBps: new Fraction(10_001n) }), Amount.parse(EIGEN, '1'))).toThrow(InvalidAmountError)
    expect(() => quoteOrderBookSell(market({ takerFeeBps: new Fraction(-1n) }), Amount.parse(EIGEN, '1'))).toThrow(InvalidAmountError)
    const bids = [{ price: Fraction.ONE, size: -1n }]
    expect(() => quoteOrderBookSell(market({ bids }), Amount.parse(EIGEN, '1'))).toThrow(InvalidAmountError)
  })
})

/** Bids of random exact prices, best first, with some empty levels. */
const bidsArbitrary: fc.Arbitrary<OrderBookLevel[]> = fc
  .array(
    fc.record({
      numerator: fc.bigInt({ min: 1n, max: 10n ** 12n }),
      denominator: fc.bigInt({ min: 1n, max: 10n ** 15n }),
      size: fc.bigInt({ min: 0n, max: 10n ** 21n }),
    }),
    { minLength: 1, maxLength: 6 },
  )
  .map((levels) => levels.map(({ numerator, denominator, size }) => ({ price: new Fraction(numerator, denominator), size })).sort((a, b) => b.price.compare(a.price)))

const marketArbitrary: fc.Arbitrary<OrderBookMarket> = fc
  .record({
    bids: bidsArbitrary,
    feeNumerator: fc.bigInt({ min: 0n, max: 10_000n }),
    feeDenominator: fc.bigInt({ min: 1n, max: 4n }),
    amountStep: fc.option(fc.bigInt({ min: 1n, max: 10n ** 18n }), { nil: undefined }),
  })
  .map(({ bids, feeNumerator, feeDenominator, amountStep }) => market({ bids, takerFeeBps: new Fraction(feeNumerator, feeDenominator), amountStep }))

const amountArbitrary = fc.bigInt({ min: 0n, max: 10n ** 21n }).map((raw) => Amount.fromRaw(EIGEN, raw))

describe('quoteOrderBookSell properties', () => {
  it('never yields more than the amount at the best bid', () => {
    fc.assert(
      fc.property(marketArbitrary, amountArbitrary, (book, amount) => {
        const fill = quoteOrderBookSell(book, amount)
        if (!fill.ok) return
        const best = book.bids.find((level) => level.size > 0n)
        expect(best).toBeDefined()
        const ceiling = (best as OrderBookLevel).price.multiply(amount.raw)
        expect(new Fraction(fill.notional.raw).compare(ceiling)).toBeLessThanOrEqual(0)
        expect(new Fraction(fill.amountOut.raw).compare(ceiling)).toBeLessThanOrEqual(0)
        expect(fill.averagePrice.compare((best as OrderBookLevel).price)).toBeLessThanOrEqual(0)
      }),
    )
  })

  it('sells the request rounded to the step, and the residual is the rest', () => {
    fc.assert(
      fc.property(marketArbitrary, amountArbitrary, (book, amount) => {
        const fill = quoteOrderBookSell(book, amount)
        if (!fill.ok) return
        expect(fill.amountIn.add(fill.residual).equals(amount)).toBe(true)
        expect(fill.residual.isNegative()).toBe(false)
        if (book.amountStep !== undefined) {
          expect(fill.amountIn.raw % book.amountStep).toBe(0n)
          expect(fill.residual.raw < book.amountStep).toBe(true)
        } else {
          expect(fill.residual.isZero()).toBe(true)
        }
      }),
    )
  })

  it('charges a fee of at least zero that, with the output, makes up the notional', () => {
    fc.assert(
      fc.property(marketArbitrary, amountArbitrary, (book, amount) => {
        const fill = quoteOrderBookSell(book, amount)
        if (!fill.ok) return
        expect(fill.fee.isNegative()).toBe(false)
        expect(fill.amountOut.isNegative()).toBe(false)
        expect(fill.amountOut.add(fill.fee).equals(fill.notional)).toBe(true)
        expect(fill.levelsUsed).toBeLessThanOrEqual(book.bids.length)
      }),
    )
  })

  it('fails exactly when the step leaves nothing or the bids are too shallow', () => {
    fc.assert(
      fc.property(marketArbitrary, amountArbitrary, (book, amount) => {
        const fill = quoteOrderBookSell(book, amount)
        const sold = book.amountStep === undefined ? amount.raw : (amount.raw / book.amountStep) * book.amountStep
        const depth = book.bids.reduce((sum, level) => sum + level.size, 0n)
        const expected = sold === 0n ? 'below_amount_step' : sold > depth ? 'insufficient_liquidity' : undefined
        expect(fill.ok ? undefined : fill.reason).toBe(expected)
      }),
    )
  })

  it('gives exactly what the frozen reference gives, the average price read and compared as a value', () => {
    fc.assert(
      fc.property(marketArbitrary, amountArbitrary, (book, amount) => {
        // Spreading reads the average price, which the fill computes only when asked.
        expect({ ...quoteOrderBookSell(book, amount) }).toStrictEqual({ ...quoteOrderBookSellReference(book, amount) })
      }),
    )
  })
})
