import type { Amount, Currency } from '../../domain/money/index.js'
import type { OrderBookMarket } from '../../domain/planning/orderBook.js'
import { quoteOrderBookBuy } from '../../domain/planning/quoteOrderBookBuy.js'
import { quoteOrderBookSell } from '../../domain/planning/quoteOrderBookSell.js'
import type { RouteQuote } from '../../domain/planning/RouteQuote.js'
import type { ConversionVenue } from '../../ports/index.js'
import { type HopResult, type PathQuoteFailure, quotePath } from './quotePath.js'

export type CreateStaticCexVenueParameters = {
  name: string
  /** Chain on which it takes deposits of on-chain tokens. */
  chain: string
  markets: readonly OrderBookMarket[]
}

/** A CEX venue that quotes and fills against fixed order-book snapshots. */
export type StaticCexVenue = ConversionVenue & {
  /** Fills a route against the snapshot (paper trading): the same answer as `quote`. */
  execute(path: readonly Currency[], amountIn: Amount): Promise<RouteQuote | PathQuoteFailure>
}

/**
 * Creates a CEX venue from order-book snapshots: market sells walk the bids, market buys
 * (spending an exact quote amount) walk the asks; taker fees, minimum notional and amount
 * steps apply as on the exchange.
 */
export function createStaticCexVenue(parameters: CreateStaticCexVenueParameters): StaticCexVenue {
  const { name, markets } = parameters
  const quoteHop = (from: Currency, to: Currency, amount: Amount): HopResult => {
    const sell = markets.find((market) => market.base.symbol === from.symbol && market.quote.symbol === to.symbol)
    const buy = sell ? undefined : markets.find((market) => market.base.symbol === to.symbol && market.quote.symbol === from.symbol)
    const market = sell ?? buy
    if (!market) return { ok: false, reason: 'no_route', detail: `${name} has no ${from.symbol}/${to.symbol} market.` }
    const fill = sell ? quoteOrderBookSell(market, amount) : quoteOrderBookBuy(market, amount)
    if (!fill.ok) return { ok: false, reason: fill.reason, detail: `${market.symbol} on ${name}: ${fill.detail}` }
    return {
      ok: true,
      residual: fill.residual,
      hop: { market: market.symbol, amountIn: fill.amountIn, amountOut: fill.amountOut, fee: fill.fee, notional: fill.notional, minNotional: fill.minNotional },
    }
  }
  const quote = async (path: readonly Currency[], amountIn: Amount) => quotePath(name, path, amountIn, quoteHop, () => 0n)
  return {
    name,
    kind: 'cex',
    chain: parameters.chain,
    async tradablePairs() {
      return markets.map((market) => [market.base, market.quote] as const)
    },
    quote,
    execute: quote,
  }
}
