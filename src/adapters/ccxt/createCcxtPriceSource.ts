import type { Currency, Price } from '../../domain/money/index.js'
import { SourceError } from '../../errors/index.js'
import type { Clock, PriceSource } from '../../ports/index.js'
import type { CcxtExchange } from './CcxtExchange.js'
import { type CcxtTickerInput, classifyCcxtError, parseCcxtTicker } from './parseCcxt.js'

export type CreateCcxtPriceSourceParameters = {
  /** Source name from the config (`binance`), written into each price's origin. */
  name: string
  exchange: CcxtExchange
  /** Resolves the base and quote of each market. */
  registry: ReadonlyMap<string, Currency>
  /** ccxt market symbols to price (`EIGEN/USDT`), or how to find them each time (a venue's tradable pairs). */
  markets: readonly string[] | (() => Promise<readonly string[]>)
  /** Stamps a price whose ticker carries no time. */
  clock: Clock
}

/**
 * Creates a price source of the mid prices `(bid + ask) / 2` of configured markets, each stamped
 * with its ticker's time: one `fetchTickers` call where the exchange has it, else one
 * `fetchTicker` per market.
 */
export function createCcxtPriceSource(parameters: CreateCcxtPriceSourceParameters): PriceSource {
  const { name, exchange, registry, markets, clock } = parameters
  const resolve = (symbol: string): readonly [Currency, Currency] => {
    const [baseCode = '', quoteCode = ''] = symbol.split('/')
    const base = registry.get(baseCode)
    const quote = registry.get(quoteCode)
    if (!base || !quote) {
      throw new SourceError(name, `${name} cannot price ${symbol}: the registry knows no ${base ? quoteCode : baseCode}.`)
    }
    return [base, quote]
  }
  const listMarkets = async (list: () => Promise<readonly string[]>): Promise<readonly string[]> => {
    try {
      return await list()
    } catch (error) {
      throw new SourceError(name, `${name} could not list the markets to price.`, {
        details: error instanceof Error ? error.message : String(error),
        cause: error,
      })
    }
  }
  const fetchAll = async (symbols: readonly string[]): Promise<{ readonly [symbol: string]: CcxtTickerInput | undefined }> => {
    try {
      if (exchange.has.fetchTickers) return await exchange.fetchTickers([...symbols])
      const tickers = await Promise.all(symbols.map((symbol) => exchange.fetchTicker(symbol)))
      return Object.fromEntries(symbols.map((symbol, index) => [symbol, tickers[index]]))
    } catch (error) {
      const { reason, retryable } = classifyCcxtError(error)
      throw new SourceError(name, `${name} did not report its tickers (${reason}${retryable ? ', worth retrying' : ''}).`, {
        details: error instanceof Error ? error.message : String(error),
        cause: error,
      })
    }
  }
  return {
    name,
    async fetchPrices(): Promise<Price[]> {
      const symbols = typeof markets === 'function' ? await listMarkets(markets) : markets
      const pairs = symbols.map((symbol) => [symbol, resolve(symbol)] as const)
      if (pairs.length === 0) return []
      const tickers = await fetchAll(symbols)
      const at = clock.now()
      return pairs.map(([symbol, [base, quote]]) => {
        const ticker = tickers[symbol]
        if (!ticker) throw new SourceError(name, `${name} sent no ticker for ${symbol}.`)
        try {
          return parseCcxtTicker(ticker, base, quote, name, at)
        } catch (error) {
          throw new SourceError(name, `${name} sent an unusable ticker for ${symbol}.`, {
            details: error instanceof Error ? error.message : String(error),
            cause: error,
          })
        }
      })
    },
  }
}
