import { createStaticBalanceSource } from '../../adapters/static/createStaticBalanceSource.js'
import type { Custody } from '../../domain/dust/index.js'
import type { VenueBuilder } from './VenueBuilder.js'

/** Builds a `static` venue: a balance source with fixed balances, on chain or on an exchange. */
export const buildStaticVenue: VenueBuilder<'static'> = (context, assembly, name, venue) => {
  const custody: Custody =
    venue.source === 'exchange_balance' ? { kind: 'exchange', exchange: venue.exchange as string } : { kind: 'onchain', chain: venue.chain }
  assembly.balanceSources.push(createStaticBalanceSource({ name, source: venue.source, custody, balances: context.balances(venue.balances) }))
}
