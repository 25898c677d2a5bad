import { type Currency, Price } from '../../domain/money/index.js'
import type { Clock, PriceSource } from '../../ports/index.js'

export type CreateStaticPriceSourceParameters = {
  name: string
  quote: Currency
  /** Whole quote tokens per whole token, as decimal strings. */
  prices: ReadonlyArray<readonly [Currency, string]>
  clock: Clock
}

/** Creates a price source that answers fixed prices, stamped with the time they are asked for. */
export function createStaticPriceSource(parameters: CreateStaticPriceSourceParameters): PriceSource {
  return {
    name: parameters.name,
    async fetchPrices() {
      const at = parameters.clock.now()
      return parameters.prices.map(([base, text]) => Price.fromDecimal(base, parameters.quote, text, { source: parameters.name, at }))
    },
  }
}
