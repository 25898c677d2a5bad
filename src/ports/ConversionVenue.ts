import type { Amount, Currency } from '../domain/money/index.js'
import type { RouteQuote, RouteQuoteFailure } from '../domain/planning/RouteQuote.js'

/** Is a place that converts tokens: a CEX or a DEX. Every venue adapter implements it. */
export type ConversionVenue = {
  /** Venue name from the config (`binance`, `uniswap`). */
  readonly name: string
  readonly kind: 'cex' | 'dex'
  /** A DEX's chain; for a CEX, the chain it takes deposits on. */
  readonly chain: string
  /** The token pairs it trades, either way; the planner searches paths over them. */
  tradablePairs(): Promise<ReadonlyArray<readonly [Currency, Currency]>>
  /** Quotes selling exactly `amountIn` (of `path[0]`) along `path`. Throws `VenueError` when it cannot answer. */
  quote(path: readonly Currency[], amountIn: Amount): Promise<RouteQuote | RouteQuoteFailure>
}
