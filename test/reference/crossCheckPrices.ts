// Frozen reference copy of src (commit 1412531), the oracle of the fast planner's property test and bench; never imported by src.
import type { Currency, Fraction, PriceBook } from '../../src/domain/money/index.js'
import { Fraction as Exact } from '../../src/domain/money/index.js'

/** One source's price of a token in the share class, in whole tokens. */
export type SourcePrice = { readonly source: string; readonly price: Fraction }

export type CrossCheckPricesReturnType = {
  /** Each source that prices the token directly, with its price (chained through the other prices where needed). */
  readonly quotes: readonly SourcePrice[]
  /** (highest − lowest) / lowest in bps; zero with fewer than two sources. */
  readonly deviationBps: Fraction
}

/**
 * Compares what each price source says a token is worth in the share class.
 *
 * For every source that prices the token directly, the token is valued with that source's
 * prices of it and every other source's prices of the rest (so a pool's EIGEN/WETH is compared
 * with a CEX's EIGEN/USDT through the same WETH/USDT). The spread between the highest and the
 * lowest is returned in bps.
 */
export function crossCheckPrices(priceBook: PriceBook, token: Currency, target: Currency): CrossCheckPricesReturnType {
  const involves = (symbol: string, base: string, quote: string) => base === symbol || quote === symbol
  const sources = [...new Set(priceBook.prices.filter((price) => involves(token.symbol, price.base.symbol, price.quote.symbol)).map((price) => price.origin.source))].sort()
  const quotes: SourcePrice[] = []
  for (const source of sources) {
    const book = priceBook.restrict((price) => !involves(token.symbol, price.base.symbol, price.quote.symbol) || price.origin.source === source)
    const price = book.price(token, target)
    if (price) quotes.push({ source, price: price.perToken() })
  }
  if (quotes.length < 2) return { quotes, deviationBps: Exact.ZERO }
  const values = quotes.map((quote) => quote.price)
  const low = values.reduce((a, b) => (b.lessThan(a) ? b : a))
  const high = values.reduce((a, b) => (b.greaterThan(a) ? b : a))
  if (low.isZero()) return { quotes, deviationBps: new Exact(10_000n) }
  return { quotes, deviationBps: high.subtract(low).divide(low).multiply(10_000n) }
}
