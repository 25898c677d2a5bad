import { Fraction, Price } from '../../domain/money/index.js'
import type { OrderBookMarket } from '../../domain/planning/orderBook.js'
import { SourceError } from '../../errors/index.js'
import type { Clock, PriceSource } from '../../ports/index.js'

/**
 * Creates a price source of a CEX's mid prices: (best bid + best ask) / 2 of each market's
 * book, exact. A market with an empty side has no mid and is left out.
 */
export function createOrderBookMidPriceSource(parameters: { name: string; markets: () => readonly OrderBookMarket[]; clock: Clock }): PriceSource {
  const { name, clock } = parameters
  return {
    name,
    async fetchPrices() {
      const at = clock.now()
      const prices = parameters.markets().flatMap((market) => {
        const bid = market.bids[0]
        const ask = market.asks[0]
        if (!bid || !ask) return []
        return [new Price(market.base, market.quote, bid.price.add(ask.price).divide(new Fraction(2n)), { source: name, at })]
      })
      if (prices.length === 0) throw new SourceError(name, `${name} has no market with both bids and asks.`)
      return prices
    },
  }
}
