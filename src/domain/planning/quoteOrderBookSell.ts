import { type Amount, Fraction } from '../money/index.js'
import type { OrderBookFailure, OrderBookFill, OrderBookMarket } from './orderBook.js'
import { sellIntoBids } from './sellIntoBids.js'

export type { OrderBookFailure, OrderBookFill } from './orderBook.js'

export type QuoteOrderBookSellReturnType = OrderBookFill | OrderBookFailure

/**
 * Quotes a market sell of `amountIn` (in the market's base) against the bids, best first.
 *
 * The amount is first rounded down to the amount step, the remainder being the `residual`.
 * Proceeds are summed exactly, then floored to quote base units; the taker fee, taken from
 * the proceeds, rounds up. The venue minimum is reported and not enforced, since the planner
 * holds the notional against it with a safety buffer.
 */
export function quoteOrderBookSell(market: OrderBookMarket, amountIn: Amount): QuoteOrderBookSellReturnType {
  const fill = sellIntoBids(market, amountIn)
  if (!fill.ok) return fill
  const { proceedsNumerator, proceedsDenominator, ...quoted } = fill
  return {
    ...quoted,
    // Reduced only when read, and a gcd of bigints is dear.
    get averagePrice() {
      return new Fraction(proceedsNumerator, proceedsDenominator * fill.amountIn.raw).reduce()
    },
  }
}
