import { describe, expect, it } from 'vitest'
import { Amount, Fraction, createCurrency } from '../money/index.js'
import { type OrderBookMarket, createOrderBookLevel } from './orderBook.js'
import { quoteOrderBookSell } from './quoteOrderBookSell.js'
import { sellIntoBids } from './sellIntoBids.js'

const EIGEN = createCurrency({ symbol: 'EIGEN', decimals: 18 })
const USDT = createCurrency({ symbol: 'USDT', decimals: 6 })

const market: OrderBookMarket = {
  symbol: 'EIGEN/USDT',
  base: EIGEN,
  quote: USDT,
  bids: [createOrderBookLevel(EIGEN, USDT, '1.25', '100'), createOrderBookLevel(EIGEN, USDT, '1.24', '200')],
  asks: [],
  takerFeeBps: new Fraction(10n),
  minNotional: Amount.parse(USDT, '5'),
  amountStep: 10n ** 16n,
}

describe('sellIntoBids', () => {
  it("gives quoteOrderBookSell's fill, with the exact proceeds in place of the average price", () => {
    const amount = Amount.parse(EIGEN, '150.004')
    const fill = sellIntoBids(market, amount)
    const quoted = quoteOrderBookSell(market, amount)
    if (!fill.ok || !quoted.ok) throw new Error('Expected both to fill 150 EIGEN.')
    const { proceedsNumerator, proceedsDenominator, ...rest } = fill
    const { averagePrice, ...same } = quoted
    expect(rest).toStrictEqual(same)
    // 100 × 1.25 + 50 × 1.24 = 187 USDT, exactly.
    expect(new Fraction(proceedsNumerator, proceedsDenominator).equals(new Fraction(187_000_000n))).toBe(true)
    expect(averagePrice.equals(new Fraction(proceedsNumerator, proceedsDenominator * fill.amountIn.raw))).toBe(true)
  })

  it('fails as quoteOrderBookSell does when the bids are too thin', () => {
    const amount = Amount.parse(EIGEN, '1000')
    expect(sellIntoBids(market, amount)).toStrictEqual(quoteOrderBookSell(market, amount))
  })
})
