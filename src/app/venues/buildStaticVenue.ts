import { createStaticBalanceSource } from '../../adapters/static/createStaticBalanceSource.js'
import type { Custody } from '../../domain/dust/index.js'
import { BaseError } from '../../errors/index.js'
import type { VenueBuilder, VenueConfigOf } from './VenueBuilder.js'

/** Where a static venue's balances are held; the schema requires `exchange` of an exchange balance. */
function custodyOf(name: string, venue: VenueConfigOf<'static'>): Custody {
  if (venue.source !== 'exchange_balance') return { kind: 'onchain', chain: venue.chain }
  if (venue.exchange === undefined) {
    throw new BaseError(`The exchange balance venue ${name} names no exchange.`, {
      code: 'invalid_config',
      details: 'Expected an "exchange" naming the CEX venue that holds the balance (the schema requires one), found none.',
    })
  }
  return { kind: 'exchange', exchange: venue.exchange }
}

/** Builds a `static` venue: a balance source with fixed balances, on chain or on an exchange. */
export const buildStaticVenue: VenueBuilder<'static'> = (context, assembly, name, venue) => {
  const custody = custodyOf(name, venue)
  assembly.balanceSources.push(createStaticBalanceSource({ name, source: venue.source, custody, balances: context.balances(venue.balances) }))
}
