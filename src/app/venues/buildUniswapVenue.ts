import { getAddress } from 'viem'
import { createUniswapPriceSource } from '../../adapters/uniswap/createUniswapPriceSource.js'
import { createUniswapVenue } from '../../adapters/uniswap/createUniswapVenue.js'
import type { VenueAssembly, VenueBuildContext, VenueConfigOf } from './VenueBuilder.js'
import { useRealExecution } from './useRealExecution.js'

/** Builds a `uniswap_v2` or `uniswap_v3` venue: its pools, swaps and spot price source. */
export function buildUniswapVenue(context: VenueBuildContext, assembly: VenueAssembly, name: string, venue: VenueConfigOf<'uniswap_v2' | 'uniswap_v3'>): void {
  const { config, currency, chainOf, clock } = context
  const real = useRealExecution(context, assembly)
  const version = venue.type === 'uniswap_v2' ? 'v2' : 'v3'
  const wallet = context.owners.get(venue.chain)
  const owner = wallet === undefined ? undefined : getAddress(wallet)
  const uniswap = createUniswapVenue({
    name,
    version,
    router: getAddress(venue.router),
    factory: getAddress(venue.factory),
    // A configuration built in code may lack the quoter: the adapter then says so in its own words.
    quoter: venue.type === 'uniswap_v3' && venue.quoter !== undefined ? getAddress(venue.quoter) : undefined,
    pools: venue.pools.map((pool) => ({ tokens: [currency(pool.tokens[0]), currency(pool.tokens[1])] as const, fee: pool.fee })),
    batcher: chainOf(venue.chain).batcher,
    gas: { swap: config.gas_units.swap, extraHop: config.gas_units.swap_extra_hop },
    transactor: real.transactorOf(venue.chain),
    estimateFor: owner ? { owner, client: chainOf(venue.chain).client } : undefined,
  })
  assembly.venues.push(uniswap)
  assembly.swappers.set(name, uniswap)
  assembly.spotPriceSources.set(name, () => createUniswapPriceSource({ name, version, pools: uniswap.pools, batcher: chainOf(venue.chain).batcher, clock }))
}
