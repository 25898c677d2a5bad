import { getAddress } from 'viem'
import { createChainlinkPriceSources } from '../../adapters/chainlink/createChainlinkPriceSources.js'
import type { PriceSourceBuilder } from './PriceSourceBuilder.js'

/** Builds a `chainlink` entry's price sources: one per pair of registry tokens its feeds give. */
export const buildChainlinkPriceSources: PriceSourceBuilder<'chainlink'> = (context, source) =>
  createChainlinkPriceSources({
    name: source.name ?? 'chainlink',
    feeds: source.feeds.map((feed) => ({ base: feed.base, quote: feed.quote, address: getAddress(feed.address), heartbeatSeconds: feed.heartbeat_seconds })),
    currency: (symbol) => context.registry.get(symbol),
    batcher: context.chainOf(source.chain).batcher,
    clock: context.clock,
    maxClockSkewMs: context.config.max_price_clock_skew * 1000,
  })
