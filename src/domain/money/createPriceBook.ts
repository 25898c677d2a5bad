import type { Currency } from './Currency.js'
import { Price } from './Price.js'

/** Answers "what is one `base` worth in `quote`?" from the prices a cycle gathered. */
export type PriceBook = {
  /** The exact rate, chained through other prices where no direct one exists; `undefined` when none connects. */
  price(base: Currency, quote: Currency): Price | undefined
  /** Every price the book was made of. */
  readonly prices: readonly Price[]
  /** The same book without the prices of one source: an independent view for checking that source's quotes. */
  without(source: string): PriceBook
  /** The same book with only the prices `keep` accepts (the parities between equivalents stay). */
  restrict(keep: (price: Price) => boolean): PriceBook
}

export type CreatePriceBookParameters = {
  prices: readonly Price[]
  /** Pairs of currencies that are one unit (WETH and ETH); each is priced 1:1 against the other. */
  equivalents?: ReadonlyArray<readonly [Currency, Currency]> | undefined
  /** Time of the book, for the parity prices it adds. */
  at: number
}

/**
 * Creates a price book that chains prices through a breadth-first search, so that EIGEN in
 * ETH is found from EIGEN/USDT and ETH/USDT. The first source to give a pair wins; the
 * shortest chain wins over longer ones. Results are cached per pair.
 */
export function createPriceBook(parameters: CreatePriceBookParameters): PriceBook {
  const edges = new Map<string, Price[]>()
  const add = (price: Price) => {
    const list = edges.get(price.base.symbol) ?? []
    list.push(price)
    edges.set(price.base.symbol, list)
  }
  for (const price of parameters.prices) {
    add(price)
    add(price.invert())
  }
  for (const [a, b] of parameters.equivalents ?? []) {
    const parity = Price.parity(a, b, { source: 'parity', at: parameters.at })
    add(parity)
    add(parity.invert())
  }
  const cache = new Map<string, Price | undefined>()

  function search(base: Currency, quote: Currency): Price | undefined {
    if (base.symbol === quote.symbol) return Price.parity(base, quote, { source: 'identity', at: parameters.at })
    const seen = new Set([base.symbol])
    let frontier: Price[] = [...(edges.get(base.symbol) ?? [])]
    while (frontier.length > 0) {
      const next: Price[] = []
      for (const chain of frontier) {
        const end = chain.quote.symbol
        if (end === quote.symbol) return chain
        if (seen.has(end)) continue
        seen.add(end)
        for (const edge of edges.get(end) ?? []) if (!seen.has(edge.quote.symbol)) next.push(chain.multiply(edge))
      }
      frontier = next
    }
    return undefined
  }

  const others = new Map<string, PriceBook>()
  const restrict = (keep: (price: Price) => boolean) => createPriceBook({ ...parameters, prices: parameters.prices.filter(keep) })
  return {
    prices: parameters.prices,
    restrict,
    without(source) {
      let book = others.get(source)
      if (!book) {
        book = restrict((price) => price.origin.source !== source && !price.origin.source.split('+').includes(source))
        others.set(source, book)
      }
      return book
    },
    price(base, quote) {
      const key = `${base.symbol}>${quote.symbol}`
      if (!cache.has(key)) cache.set(key, search(base, quote))
      return cache.get(key)
    },
  }
}
