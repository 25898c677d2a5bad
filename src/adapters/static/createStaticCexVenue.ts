import type { Amount, Currency } from '../../domain/money/index.js'
import type { OrderBookMarket } from '../../domain/planning/orderBook.js'
import { quoteOrderBookBuy } from '../../domain/planning/quoteOrderBookBuy.js'
import { sellIntoBids } from '../../domain/planning/sellIntoBids.js'
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
  // Markets by base and quote symbol, the first of a pair winning as `find` would have it.
  const bySymbols = new Map<string, Map<string, OrderBookMarket>>()
  for (const market of markets) {
    let byQuote = bySymbols.get(market.base.symbol)
    if (byQuote === undefined) {
      byQuote = new Map()
      bySymbols.set(market.base.symbol, byQuote)
    }
    if (!byQuote.has(market.quote.symbol)) byQuote.set(market.quote.symbol, market)
  }
  // The same markets by their currency objects, which the planner's paths are made of: a lookup
  // by identity first, by symbol when a caller brings other objects of the same currencies.
  const byCurrencies = new Map<Currency, Map<Currency, OrderBookMarket>>()
  for (const byQuote of bySymbols.values()) {
    for (const market of byQuote.values()) {
      const known = byCurrencies.get(market.base)
      if (known === undefined) byCurrencies.set(market.base, new Map([[market.quote, market]]))
      else known.set(market.quote, market)
    }
  }
  const marketOf = (base: Currency, quote: Currency): OrderBookMarket | undefined => byCurrencies.get(base)?.get(quote) ?? bySymbols.get(base.symbol)?.get(quote.symbol)
  const quoteHop = (from: Currency, to: Currency, amount: Amount): HopResult => {
    const sell = marketOf(from, to)
    const buy = sell ? undefined : marketOf(to, from)
    const market = sell ?? buy
    if (!market) return { ok: false, reason: 'no_route', detail: `${name} has no ${from.symbol}/${to.symbol} market.` }
    const fill = sell ? sellIntoBids(market, amount) : quoteOrderBookBuy(market, amount)
    if (!fill.ok) return { ok: false, reason: fill.reason, detail: `${market.symbol} on ${name}: ${fill.detail}` }
    return {
      ok: true,
      residual: fill.residual,
      hop: { market: market.symbol, amountIn: fill.amountIn, amountOut: fill.amountOut, fee: fill.fee, notional: fill.notional, minNotional: fill.minNotional },
    }
  }
  // The markets never change, so neither do the pairs: one frozen list serves every call.
  const pairs: ReadonlyArray<readonly [Currency, Currency]> = Object.freeze(markets.map((market) => Object.freeze([market.base, market.quote] as const)))
  const noGas = () => 0n
  const quoteSync = (path: readonly Currency[], amountIn: Amount) => quotePath(name, path, amountIn, quoteHop, noGas)
  const quote = async (path: readonly Currency[], amountIn: Amount) => quoteSync(path, amountIn)
  return {
    name,
    kind: 'cex',
    chain: parameters.chain,
    async tradablePairs() {
      return pairs
    },
    tradablePairsSync: () => pairs,
    quote,
    quoteSync,
    execute: quote,
  }
}
