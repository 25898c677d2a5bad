import { createPaperCexSeller } from '../../adapters/paper/createPaperCexSeller.js'
import { createOrderBookMidPriceSource } from '../../adapters/static/createOrderBookMidPriceSource.js'
import { createStaticBalanceSource } from '../../adapters/static/createStaticBalanceSource.js'
import { createStaticCexVenue } from '../../adapters/static/createStaticCexVenue.js'
import { Amount, Fraction } from '../../domain/money/index.js'
import { type OrderBookMarket, createOrderBookLevel } from '../../domain/planning/orderBook.js'
import type { VenueBuilder } from './VenueBuilder.js'

/** Builds a `static_cex` venue: fixed order books, its exchange account, and a paper seller. */
export const buildStaticCexVenue: VenueBuilder<'static_cex'> = (context, assembly, name, venue) => {
  const { currency, clock } = context
  const markets: OrderBookMarket[] = Object.entries(venue.markets).map(([symbol, market]) => {
    const [baseSymbol = '', quoteSymbol = ''] = symbol.split('/')
    const base = currency(baseSymbol)
    const quote = currency(quoteSymbol)
    return {
      symbol,
      base,
      quote,
      bids: market.bids.map(([price, size]) => createOrderBookLevel(base, quote, price, size)),
      asks: market.asks.map(([price, size]) => createOrderBookLevel(base, quote, price, size)),
      takerFeeBps: Fraction.fromDecimalString(venue.taker_fee_bps),
      minNotional: Amount.parse(quote, market.min_notional, 'up'),
      amountStep: market.amount_step === undefined ? undefined : Amount.parse(base, market.amount_step).raw,
    }
  })
  const cex = createStaticCexVenue({ name, chain: venue.deposit_chain, markets })
  assembly.venues.push(cex)
  assembly.staticVenues.push(cex)
  // The exchange account: what is bought or deposited there shows up as exchange_balance.
  const account = createStaticBalanceSource({ name, source: 'exchange_balance', custody: { kind: 'exchange', exchange: name }, balances: context.balances(venue.balances) })
  assembly.balanceSources.push(account)
  assembly.sellers.set(name, createPaperCexSeller({ venue: cex, account }))
  assembly.midPriceSources.set(name, () => createOrderBookMidPriceSource({ name, markets: () => markets, clock }))
  if (venue.deposit_address) assembly.depositAddresses.set(name, venue.deposit_address)
}
