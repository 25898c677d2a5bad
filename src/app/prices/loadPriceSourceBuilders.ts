import type { PriceSourceConfig } from '../../config/index.js'
import type { OnchainPriceSourceType, PriceSourceBuilder, PriceSourceBuilders } from './PriceSourceBuilder.js'
import { priceSourceBuilders } from './priceSourceBuilders.js'

/** Adds the builder of one type; the generic ties the builder to its type's row. */
async function loadInto<T extends OnchainPriceSourceType>(builders: { [K in T]?: PriceSourceBuilder<K> }, type: T): Promise<void> {
  builders[type] = await priceSourceBuilders[type]()
}

/** Whether a price source type is read on a chain, with a builder in `priceSourceBuilders`. */
function isOnchain(type: string): type is OnchainPriceSourceType {
  return Object.hasOwn(priceSourceBuilders, type)
}

/**
 * Loads the builders of the on-chain price source types `configs` use, each with its adapters;
 * every one of them without `configs`.
 */
export async function loadPriceSourceBuilders(configs?: Iterable<{ prices: readonly { type: PriceSourceConfig['type'] }[] }>): Promise<PriceSourceBuilders> {
  const types = new Set<OnchainPriceSourceType>()
  const wanted = configs === undefined ? Object.keys(priceSourceBuilders) : [...configs].flatMap((config) => config.prices.map((source) => source.type))
  for (const type of wanted) if (isOnchain(type)) types.add(type)
  const builders: { [K in OnchainPriceSourceType]?: PriceSourceBuilder<K> } = {}
  await Promise.all([...types].map((type) => loadInto(builders, type)))
  return builders
}
