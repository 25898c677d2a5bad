import type { Holding } from '../domain/dust/index.js'
import type { Amount, PriceBook } from '../domain/money/index.js'

/** What an equity source may use: the holdings and prices of the same cycle. */
export type EquityContext = { readonly holdings: readonly Holding[]; readonly priceBook: PriceBook }

/** Gives a strategy's equity in its share class. */
export type EquitySource = {
  readonly name: string
  /** Equity in the share class, with the symbols it could not price. Throws `SourceError` on failure. */
  fetchEquity(context: EquityContext): Promise<{ equity: Amount; unpriced: string[] }>
}
