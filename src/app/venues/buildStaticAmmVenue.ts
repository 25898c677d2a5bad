import { createStaticAmmVenue } from '../../adapters/static/createStaticAmmVenue.js'
import { Amount, Fraction } from '../../domain/money/index.js'
import type { ConstantProductPool } from '../../domain/planning/quoteConstantProduct.js'
import type { VenueBuilder } from './VenueBuilder.js'

/** Builds a `static_amm` venue: constant product pools with fixed reserves. */
export const buildStaticAmmVenue: VenueBuilder<'static_amm'> = (context, assembly, name, venue) => {
  const { currency, config } = context
  const pools: ConstantProductPool[] = venue.pools.map((pool) => {
    const token0 = currency(pool.tokens[0])
    const token1 = currency(pool.tokens[1])
    return {
      name: `${pool.tokens[0]}/${pool.tokens[1]}`,
      token0,
      token1,
      reserve0: Amount.parse(token0, pool.reserves[0]).raw,
      reserve1: Amount.parse(token1, pool.reserves[1]).raw,
      feeBps: Fraction.fromDecimalString(pool.fee_bps),
    }
  })
  const amm = createStaticAmmVenue({ name, chain: venue.chain, pools, gas: { swap: config.gas_units.swap, extraHop: config.gas_units.swap_extra_hop } })
  assembly.venues.push(amm)
  assembly.staticVenues.push(amm)
}
