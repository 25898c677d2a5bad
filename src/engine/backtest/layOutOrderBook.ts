import { Amount, type Currency, Fraction } from '../../domain/money/index.js'
import type { OrderBookLevel, OrderBookMarket } from '../../domain/planning/orderBook.js'
import type { BacktestCexSettings } from './BacktestVenueSettings.js'

export type LayOutOrderBookParameters = {
  readonly cex: BacktestCexSettings
  readonly base: Currency
  readonly quote: Currency
  /** Whole quote tokens per whole base token at the hour's close. */
  readonly mid: Fraction
  /** The smallest amount of base traded, in whole tokens. */
  readonly amountStep: Fraction
}

const BPS = 10_000n

/** Base units of `currency` for `tokens` whole tokens, rounded down. */
function units(currency: Currency, tokens: Fraction): bigint {
  return Amount.fromTokens(currency, tokens, 'down').raw
}

/**
 * Lays out one CEX market at an hour's close: `levels` bids under the mid and asks over it, the
 * first a half spread away and each next one a level step further, each worth `levelValue` of the
 * quote, with the CEX's taker fee, minimum notional and the market's amount step.
 */
export function layOutOrderBook(parameters: LayOutOrderBookParameters): OrderBookMarket {
  const { cex, base, quote, mid } = parameters
  // Quote base units per base base unit, as the order-book quoting expects.
  const scale = (perToken: Fraction) =>
    perToken
      .multiply(10n ** BigInt(quote.decimals))
      .divide(10n ** BigInt(base.decimals))
      .reduce()
  const bids: OrderBookLevel[] = []
  const asks: OrderBookLevel[] = []
  for (let level = 0; level < cex.levels; level += 1) {
    const offset = cex.halfSpreadBps.add(cex.levelStepBps.multiply(BigInt(level)))
    const bid = mid.multiply(new Fraction(BPS).subtract(offset)).divide(BPS)
    const ask = mid.multiply(new Fraction(BPS).add(offset)).divide(BPS)
    if (bid.numerator > 0n) bids.push({ price: scale(bid), size: units(base, cex.levelValue.divide(bid)) })
    asks.push({ price: scale(ask), size: units(base, cex.levelValue.divide(ask)) })
  }
  return {
    symbol: `${base.symbol}/${quote.symbol}`,
    base,
    quote,
    bids,
    asks,
    takerFeeBps: cex.takerFeeBps,
    minNotional: Amount.fromRaw(quote, units(quote, cex.minNotional)),
    amountStep: units(base, parameters.amountStep),
  }
}
