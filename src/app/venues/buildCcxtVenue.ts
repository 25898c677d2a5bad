import type { CcxtExchange } from '../../adapters/ccxt/CcxtExchange.js'
import { createCcxtExchange } from '../../adapters/ccxt/createCcxtExchange.js'
import { createCcxtBalanceSource } from '../../adapters/ccxt/createCcxtBalanceSource.js'
import { type CcxtPaperAccount, createCcxtPaperAccount } from '../../adapters/ccxt/createCcxtPaperAccount.js'
import { createCcxtPriceSource } from '../../adapters/ccxt/createCcxtPriceSource.js'
import { createCcxtSeller } from '../../adapters/ccxt/createCcxtSeller.js'
import { createCcxtVenue } from '../../adapters/ccxt/createCcxtVenue.js'
import type { CcxtVenueConfig } from '../../config/index.js'
import { BaseError, ConfigError } from '../../errors/index.js'
import type { VenueBuildContext, VenueBuilder } from './VenueBuilder.js'
import { useRealExecution } from './useRealExecution.js'

/**
 * Builds the ccxt exchange of a venue with its API key and secret read from `env`. A key
 * variable the configuration names must be set; its value reaches ccxt only, never a message.
 */
function buildCcxtExchange(context: VenueBuildContext, name: string, venue: CcxtVenueConfig): CcxtExchange {
  const where = `the ${context.config.mode} strategy`
  const secret = (key: 'api_key_env' | 'secret_env', what: string): string | undefined => {
    const variable = venue[key]
    if (variable === undefined) return undefined
    const value = context.env[variable]
    if (value === undefined || value === '') {
      throw new ConfigError(where, [{ path: `venues.${name}.${key}`, expected: `${variable} to hold the ${what} of ${name}`, found: `${variable} ${value === undefined ? 'is not set' : 'is empty'}` }])
    }
    return value
  }
  const apiKey = secret('api_key_env', 'API key')
  const secretValue = secret('secret_env', 'API secret')
  try {
    return (context.createExchange ?? createCcxtExchange)(venue.exchange, { apiKey, secret: secretValue, sandbox: venue.sandbox })
  } catch (error) {
    const found = error instanceof BaseError ? error.shortMessage : error instanceof Error ? error.message : String(error)
    throw new ConfigError(where, [{ path: `venues.${name}`, expected: `a ${venue.exchange} exchange ccxt can build${venue.sandbox ? ' with a sandbox' : ''}`, found }], { cause: error })
  }
}

/**
 * Builds a `ccxt` venue: the exchange, its account (a paper one unless live), its seller and
 * its order book mid price source. A ccxt venue sends real orders only in `live` with `paper: false`.
 *
 * Throws `ConfigError` when a key variable is not set in `env`, or the exchange cannot be built as configured.
 */
export const buildCcxtVenue: VenueBuilder<'ccxt'> = (context, assembly, name, venue) => {
  const { config, registry, clock, executing } = context
  useRealExecution(context, assembly)
  const exchange = buildCcxtExchange(context, name, venue)
  const live = config.execution.mode === 'live' && !venue.paper
  const ccxtVenue = createCcxtVenue({ name, chain: venue.deposit_chain, exchange, registry, clock, paper: !live, markets: venue.markets })
  assembly.venues.push(ccxtVenue)
  // A static exchange_balance venue naming this one is its account; otherwise the real account is read with the keys.
  const standIn = Object.values(config.venues).some((other) => other.type === 'static' && other.source === 'exchange_balance' && other.exchange === name)
  let paperAccount: CcxtPaperAccount | undefined
  if (!standIn) {
    const account = venue.api_key_env === undefined ? undefined : createCcxtBalanceSource({ name, exchange, registry })
    if (executing && !live) {
      paperAccount = createCcxtPaperAccount({ name, account })
      assembly.balanceSources.push(paperAccount)
    } else if (account) assembly.chainSources.push(account)
  }
  if (venue.deposit_address) assembly.depositAddresses.set(name, venue.deposit_address)
  if (executing) {
    assembly.finishers.push(() => {
      // The account a paper sale moves: its own paper account, else the static venue standing in for it (which transfers credit too).
      const account = paperAccount ?? assembly.balanceSources.find((source) => source.source === 'exchange_balance' && source.custody.kind === 'exchange' && source.custody.exchange === name)
      assembly.sellers.set(name, createCcxtSeller({ venue: ccxtVenue, account: ccxtVenue.paper ? account : undefined }))
    })
  }
  assembly.midPriceSources.set(name, () =>
    createCcxtPriceSource({
      name,
      exchange,
      registry,
      markets: venue.markets ?? (async () => (await ccxtVenue.tradablePairs()).map(([base, quote]) => `${base.symbol}/${quote.symbol}`)),
      clock,
    }),
  )
}
