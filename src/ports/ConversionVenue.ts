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
  /** The same pairs at once, for a venue that needs no I/O to list them; `undefined` when it cannot answer now. It throws where `tradablePairs` would reject. */
  readonly tradablePairsSync?: (() => ReadonlyArray<readonly [Currency, Currency]> | undefined) | undefined
  /** Quotes selling exactly `amountIn` (of `path[0]`) along `path`. Throws `VenueError` when it cannot answer. */
  quote(path: readonly Currency[], amountIn: Amount): Promise<RouteQuote | RouteQuoteFailure>
  /**
   * Quotes as `quote` does, at once, for a venue that needs no I/O to answer (fixed books and
   * pools); `undefined` when it cannot answer now, and then the planner asks `quote`. It has no
   * side effects, so asking it and then `quote` is the same as asking `quote`. It throws where
   * `quote` would reject. Network venues leave it out.
   */
  readonly quoteSync?: ((path: readonly Currency[], amountIn: Amount) => RouteQuote | RouteQuoteFailure | undefined) | undefined
}
