import type { PriceSourceBuilderTable } from './PriceSourceBuilder.js'

/**
 * The builder of each price source type read on a chain: one builder file and one row here. Each
 * row imports its adapters (viem) only when a price source of that type is configured, so a
 * strategy of static prices starts without them.
 */
export const priceSourceBuilders: PriceSourceBuilderTable = {
  chainlink: async () => (await import('./buildChainlinkPriceSources.js')).buildChainlinkPriceSources,
  lst_rate: async () => (await import('./buildLstRatePriceSource.js')).buildLstRatePriceSource,
}
