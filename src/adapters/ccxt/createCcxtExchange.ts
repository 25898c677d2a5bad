import ccxt, { Exchange as CcxtExchangeBase } from 'ccxt'
import { VenueError } from '../../errors/index.js'
import type { CcxtExchange } from './CcxtExchange.js'

export type CreateCcxtExchangeOptions = {
  /** API key, read by the caller from its environment; without key and secret only public data can be read. */
  readonly apiKey?: string | undefined
  readonly secret?: string | undefined
  /** Uses the exchange's test network (ccxt `setSandboxMode`). */
  readonly sandbox: boolean
}

type ExchangeClass = new (config: Record<string, unknown>) => CcxtExchangeBase

/** Tells whether a value of ccxt's module is an exchange class (a subclass of ccxt's `Exchange`). */
function isExchangeClass(value: unknown): value is ExchangeClass {
  return typeof value === 'function' && value.prototype instanceof CcxtExchangeBase
}

/**
 * Creates the ccxt exchange of an id of `ccxt.exchanges` (`new ccxt.binance(...)`), rate-limited
 * and set to spot: spot is the default market type and, where the exchange loads several market
 * types (`options.fetchMarkets.types`), the only one loaded.
 *
 * The key and secret go to ccxt and nowhere else: no message of this function carries them.
 */
export function createCcxtExchange(id: string, options: CreateCcxtExchangeOptions): CcxtExchange {
  const Exchange: unknown = ccxt.exchanges.includes(id) ? Object.getOwnPropertyDescriptor(ccxt, id)?.value : undefined
  if (!isExchangeClass(Exchange)) throw new VenueError(id, `ccxt ${ccxt.version} knows no exchange "${id}".`)
  const credentials = options.apiKey !== undefined && options.secret !== undefined ? { apiKey: options.apiKey, secret: options.secret } : {}
  const exchange = new Exchange({
    ...credentials,
    enableRateLimit: true,
    // fetchMargins is Binance's: its margin pairs are not traded here, and reading them needs a margin-enabled key.
    options: { defaultType: 'spot', fetchMargins: false },
  })
  const fetchMarkets: unknown = exchange.options.fetchMarkets
  if (typeof fetchMarkets === 'object' && fetchMarkets !== null && 'types' in fetchMarkets) {
    const types: unknown = fetchMarkets.types
    if (Array.isArray(types) && types.includes('spot')) Object.assign(fetchMarkets, { types: ['spot'] })
  }
  if (options.sandbox) {
    // ccxt lists `test` for every exchange, undefined where there is no test network, and would then point the API at nothing.
    const urls: Record<string, unknown> = exchange.urls
    if (urls.test === undefined) throw new VenueError(id, `${id} has no test network in ccxt, so sandbox cannot be set.`)
    exchange.setSandboxMode(true)
  }
  return exchange
}
