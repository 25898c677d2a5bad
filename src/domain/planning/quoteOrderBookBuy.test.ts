import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { CurrencyMismatchError, InvalidAmountError } from '../../errors/index.js'
import { Amount, Fraction, createCurrency } from '../money/index.js'
import { type OrderBookLevel, type OrderBookMarket, createOrderBookLevel } from './orderBook.js'
import { quoteOrderBookBuy } from './quoteOrderBookBuy.js'

const EIGEN = createCurrency({ symbol: 'EIGEN', decimals: 18 })
const USDT = createCurrency({ symbol: 'USDT', decimals: 6 })
const WBTC = createCurrency({ symbol: 'WBTC', decimals: 8 })
const E18 = 10n ** 18n

function market(overrides: Partial<OrderBookMarket> = {}): OrderBookMarket {
  return {
    symbol: 'EIGEN/USDT',
    base: EIGEN,
    quote: USDT,
    bids: [],
    asks: [createOrderBookLevel(EIGEN, USDT, '1.26', '100'), createOrderBookLevel(EIGEN, USDT, '1.3', '200')],
    takerFeeBps: new Fraction(10n),
    minNotional: Amount.parse(USDT, '5'),
    amountStep: 10n ** 16n, // 0.01 EIGEN
    ...overrides,
  }
}

describe('quoteOrderBookBuy', () => {
  it('spends the quote best ask first, floors to the step and keeps the change as residual', () => {
    const fill = quoteOrderBookBuy(market(), Amount.parse(USDT, '200'))
    if (!fill.ok) throw new Error(fill.detail)
    // 100 EIGEN cost 126 USDT; the other 74 USDT buy 74 / 1.3 = 56.923076923076923076 EIGEN,
    // 156.923076923076923076 in all, which the 0.01 step makes 156.92. Those cost
    // 126 + 56.92 × 1.3 = 199.996 USDT, leaving 0.004 USDT.
    expect(fill.amountIn.toString()).toBe('199.996 USDT')
    expect(fill.residual.toString()).toBe('0.004 USDT')
    expect(fill.notional.toString()).toBe('199.996 USDT')
    // The fee is 0.1 % of 156.92 EIGEN, in EIGEN.
    expect(fill.fee.toString()).toBe('0.15692 EIGEN')
    expect(fill.amountOut.toString()).toBe('156.76308 EIGEN')
    expect(fill.levelsUsed).toBe(2)
    expect(fill.averagePrice.equals(new Fraction(199_996_000n, 15_692n * 10n ** 16n))).toBe(true)
    expect(fill.minNotional.toString()).toBe('5 USDT')
  })

  it('floors the base bought at a partial level and rounds the quote spent up', () => {
    const book = market({ asks: [createOrderBookLevel(EIGEN, USDT, '1.234567', '1000')], amountStep: undefined })
    const fill = quoteOrderBookBuy(book, Amount.parse(USDT, '1'))
    if (!fill.ok) throw new Error(fill.detail)
    // 1 / 1.234567 = 0.810000591300431649(4...) EIGEN, floored to 18 decimals.
    const bought = 810_000_591_300_431_649n
    expect(fill.amountOut.add(fill.fee).raw).toBe(bought)
    // Those cost 999999.999999999999610983 USDT units, rounded up to 1 USDT.
    expect(fill.amountIn.raw).toBe(1_000_000n)
    expect(fill.residual.raw).toBe(0n)
    // 0.1 % of the base bought is 810000591300431.649 units, rounded up.
    expect(fill.fee.raw).toBe(810_000_591_300_432n)
    expect(fill.amountOut.raw).toBe(809_190_590_709_131_217n)
    expect(fill.levelsUsed).toBe(1)
    expect(fill.averagePrice.equals(new Fraction(1_234_567n, E18))).toBe(true)
  })

  it('empties the book exactly when the amount matches its whole cost', () => {
    const book = market({ asks: [createOrderBookLevel(EIGEN, USDT, '1.26', '100')] })
    const fill = quoteOrderBookBuy(book, Amount.parse(USDT, '126'))
    if (!fill.ok) throw new Error(fill.detail)
    expect(fill.amountIn.toString()).toBe('126 USDT')
    expect(fill.residual.isZero()).toBe(true)
    expect(fill.amountOut.toString()).toBe('99.9 EIGEN')
    expect(fill.fee.toString()).toBe('0.1 EIGEN')
  })

  it('fails with insufficient_liquidity when the asks cost less than the amount to spend', () => {
    const book = market({ asks: [createOrderBookLevel(EIGEN, USDT, '1.26', '100')] })
    expect(quoteOrderBookBuy(book, Amount.parse(USDT, '126.000001'))).toEqual({
      ok: false,
      reason: 'insufficient_liquidity',
      detail: 'The asks of EIGEN/USDT sell 100 EIGEN for 126 USDT in all, less than the 126.000001 USDT to spend.',
    })
    expect(quoteOrderBookBuy(market({ asks: [] }), Amount.parse(USDT, '1')).ok).toBe(false)
  })

  it('fails with below_amount_step when the step rounds what is bought to nothing', () => {
    expect(quoteOrderBookBuy(market(), Amount.parse(USDT, '0.01'))).toEqual({
      ok: false,
      reason: 'below_amount_step',
      // 0.01 / 1.26 = 0.007936507936507936(5...) EIGEN.
      detail: 'Spending 0.01 USDT on EIGEN/USDT buys 0.007936507936507936 EIGEN, which the amount step of 0.01 EIGEN rounds down to nothing.',
    })
  })

  it('fails with below_amount_step when the amount buys less than one base unit', () => {
    const book = market({
      symbol: 'WBTC/USDT',
      base: WBTC,
      asks: [createOrderBookLevel(WBTC, USDT, '65000', '1')],
      amountStep: undefined,
    })
    // One WBTC unit (10^-8) costs 0.00065 USDT.
    expect(quoteOrderBookBuy(book, Amount.parse(USDT, '0.000649'))).toEqual({
      ok: false,
      reason: 'below_amount_step',
      detail: 'Spending 0.000649 USDT on WBTC/USDT buys less than one base unit of WBTC.',
    })
    const one = quoteOrderBookBuy(book, Amount.parse(USDT, '0.00065'))
    expect(one.ok && one.amountOut.raw + one.fee.raw).toBe(1n)
    const nothing = quoteOrderBookBuy(book, Amount.zero(USDT))
    expect(nothing.ok === false && nothing.reason).toBe('below_amount_step')
  })

  it('refuses an amount in another currency, a negative amount, a fee out of range and a bad level', () => {
    expect(() => quoteOrderBookBuy(market(), Amount.parse(EIGEN, '1'))).toThrow(CurrencyMismatchError)
    expect(() => quoteOrderBookBuy(market(), Amount.parse(USDT, '-1'))).toThrow('The amount to spend on EIGEN/USDT must be at least zero, found -1 USDT.')
    expect(() => quoteOrderBookBuy(market({ takerFeeBps: new Fraction(20_001n, 2n) }), Amount.parse(USDT, '1'))).toThrow(InvalidAmountError)
    const asks = [{ price: Fraction.ZERO, size: 1n }]
    expect(() => quoteOrderBookBuy(market({ asks }), Amount.parse(USDT, '1'))).toThrow(InvalidAmountError)
  })
})

/** Exact cost of the cheapest `size` base units, or `undefined` when the book holds fewer. */
function referenceCost(asks: readonly OrderBookLevel[], size: bigint): Fraction | undefined {
  let cost = Fraction.ZERO
  let remaining = size
  for (const level of asks) {
    // biome-ignore lint/complexity/useMathMinMax: bigint base units, which Math.min does not take
    const taken = remaining < level.size ? remaining : level.size
    cost = cost.add(level.price.multiply(taken))
    remaining -= taken
  }
  return remaining === 0n ? cost : undefined
}

/** Asks of random exact prices, best first, with some empty levels; prices stay near a USDT unit per EIGEN unit scale. */
const asksArbitrary: fc.Arbitrary<OrderBookLevel[]> = fc
  .array(
    fc.record({
      numerator: fc.bigInt({ min: 1n, max: 10n ** 6n }),
      denominator: fc.bigInt({ min: 1n, max: 10n ** 13n }),
      size: fc.bigInt({ min: 0n, max: 10n ** 20n }),
    }),
    { maxLength: 6 },
  )
  .map((levels) => levels.map(({ numerator, denominator, size }) => ({ price: new Fraction(numerator, denominator), size })).sort((a, b) => a.price.compare(b.price)))

const marketArbitrary: fc.Arbitrary<OrderBookMarket> = fc
  .record({
    asks: asksArbitrary,
    feeNumerator: fc.bigInt({ min: 0n, max: 10_000n }),
    feeDenominator: fc.bigInt({ min: 1n, max: 4n }),
    amountStep: fc.option(fc.bigInt({ min: 1n, max: 10n ** 15n }), { nil: undefined }),
  })
  .map(({ asks, feeNumerator, feeDenominator, amountStep }) => market({ asks, takerFeeBps: new Fraction(feeNumerator, feeDenominator), amountStep }))

const amountArbitrary = fc.bigInt({ min: 0n, max: 10n ** 9n }).map((raw) => Amount.fromRaw(USDT, raw))

describe('quoteOrderBookBuy properties', () => {
  it('never spends more than given, and the residual is the rest', () => {
    fc.assert(
      fc.property(marketArbitrary, amountArbitrary, (book, amount) => {
        const fill = quoteOrderBookBuy(book, amount)
        if (!fill.ok) return
        expect(fill.amountIn.greaterThan(amount)).toBe(false)
        expect(fill.residual.isNegative()).toBe(false)
        expect(fill.amountIn.add(fill.residual).equals(amount)).toBe(true)
        expect(fill.notional.equals(fill.amountIn)).toBe(true)
      }),
    )
  })

  it('spends the cost of the base received, rounded up, never below the best ask', () => {
    fc.assert(
      fc.property(marketArbitrary, amountArbitrary, (book, amount) => {
        const fill = quoteOrderBookBuy(book, amount)
        if (!fill.ok) return
        const received = fill.amountOut.add(fill.fee).raw
        const cost = referenceCost(book.asks, received) as Fraction
        expect(fill.amountIn.raw).toBe(cost.toBigInt('up'))
        const best = book.asks.find((level) => level.size > 0n) as OrderBookLevel
        expect(new Fraction(fill.amountIn.raw).compare(best.price.multiply(received))).toBeGreaterThanOrEqual(0)
      }),
    )
  })

  it('receives a whole number of steps, and one step more would cost too much', () => {
    fc.assert(
      fc.property(marketArbitrary, amountArbitrary, (book, amount) => {
        const fill = quoteOrderBookBuy(book, amount)
        if (!fill.ok) return
        const step = book.amountStep ?? 1n
        const received = fill.amountOut.add(fill.fee).raw
        expect(received % step).toBe(0n)
        const more = referenceCost(book.asks, received + step)
        expect(more === undefined || more.greaterThan(new Fraction(amount.raw))).toBe(true)
      }),
    )
  })

  it('charges a fee of at least zero, in the base, that does not exceed what is received', () => {
    fc.assert(
      fc.property(marketArbitrary, amountArbitrary, (book, amount) => {
        const fill = quoteOrderBookBuy(book, amount)
        if (!fill.ok) return
        expect(fill.fee.currency).toBe(EIGEN)
        expect(fill.fee.isNegative()).toBe(false)
        expect(fill.amountOut.isNegative()).toBe(false)
      }),
    )
  })

  it('fails for liquidity exactly when the whole book costs less than the amount', () => {
    fc.assert(
      fc.property(marketArbitrary, amountArbitrary, (book, amount) => {
        const fill = quoteOrderBookBuy(book, amount)
        const depth = book.asks.reduce((sum, level) => sum + level.size, 0n)
        const whole = referenceCost(book.asks, depth) as Fraction
        const shallow = amount.isPositive() && whole.lessThan(new Fraction(amount.raw))
        expect(!fill.ok && fill.reason === 'insufficient_liquidity').toBe(shallow)
      }),
    )
  })
})
