import { describe, expect, it } from 'vitest'
import { MARKET_DATA_ROUTES, RECORDED_REGISTRY, type RecordedRoute, createRecordedBinance } from '../../../test/createRecordedBinance.js'
import { FIXED_TIME, fixtureClock } from '../../../test/fixtureMoney.js'
import { SourceError } from '../../errors/index.js'
import { type CreateCcxtPriceSourceParameters, createCcxtPriceSource } from './createCcxtPriceSource.js'

function source(routes: readonly RecordedRoute[], has?: Record<string, boolean>, overrides: Partial<CreateCcxtPriceSourceParameters> = {}) {
  const recorded = createRecordedBinance({ routes: [...routes, ...MARKET_DATA_ROUTES], has })
  const prices = createCcxtPriceSource({
    name: 'binance',
    exchange: recorded.exchange,
    registry: RECORDED_REGISTRY,
    markets: ['BTC/USDT'],
    clock: fixtureClock(),
    ...overrides,
  })
  return { recorded, prices }
}

describe('createCcxtPriceSource', () => {
  it('prices configured markets at the mid of the recorded tickers, in one fetchTickers call', async () => {
    const { prices, recorded } = source([{ method: 'GET', path: '/api/v3/ticker/24hr', file: 'ticker-24hr-symbols.json' }])
    expect(prices.name).toBe('binance')
    const [price, ...rest] = await prices.fetchPrices()
    expect(rest).toEqual([])
    expect(price?.base.symbol).toBe('BTC')
    expect(price?.quote.symbol).toBe('USDT')
    // (73,369.83 + 73,369.84) / 2, at the ticker's closeTime.
    expect(price?.toSignificant(12)).toBe('73369.835')
    expect(price?.origin).toEqual({ source: 'binance', at: 1_710_328_245_391 })
    const ticker = recorded.requests.find((request) => request.path === '/api/v3/ticker/24hr')
    expect(ticker?.params.symbols).toBe('["BTCUSDT"]')
  })

  it('falls back to one fetchTicker per market where the exchange has no fetchTickers', async () => {
    const { prices, recorded } = source([{ method: 'GET', path: '/api/v3/ticker/24hr', query: { symbol: 'BTCUSDT' }, file: 'ticker-24hr-BTCUSDT.json' }], { fetchTickers: false })
    const [price] = await prices.fetchPrices()
    expect(price?.toSignificant(12)).toBe('73369.835')
    expect(recorded.requests.find((request) => request.path === '/api/v3/ticker/24hr')?.params.symbol).toBe('BTCUSDT')
  })

  it('finds the markets to price each time when given a function, and names a failure to list them', async () => {
    let listed = 0
    const { prices } = source([{ method: 'GET', path: '/api/v3/ticker/24hr', file: 'ticker-24hr-symbols.json' }], undefined, {
      markets: async () => {
        listed += 1
        return ['BTC/USDT']
      },
    })
    expect((await prices.fetchPrices()).map((price) => price.toSignificant(12))).toEqual(['73369.835'])
    await prices.fetchPrices()
    expect(listed).toBe(2)

    const failing = source([], undefined, { markets: () => Promise.reject(new Error('markets did not load')) })
    const error = await failing.prices.fetchPrices().catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(SourceError)
    expect((error as SourceError).shortMessage).toBe('binance could not list the markets to price.')
    expect((error as SourceError).details).toBe('markets did not load')
  })

  it('answers nothing for no markets, without a request', async () => {
    const { prices, recorded } = source([], undefined, { markets: [] })
    expect(await prices.fetchPrices()).toEqual([])
    expect(recorded.requests).toEqual([])
  })

  it('refuses a market the registry cannot resolve', async () => {
    const { prices } = source([], undefined, { markets: ['XRP/USDT'] })
    await expect(prices.fetchPrices()).rejects.toThrow(new SourceError('binance', 'binance cannot price XRP/USDT: the registry knows no XRP.'))
    // The quote side is named when it is the one the registry lacks.
    const { prices: quotedInXrp, recorded } = source([], undefined, { markets: ['BTC/XRP'] })
    await expect(quotedInXrp.fetchPrices()).rejects.toThrow(new SourceError('binance', 'binance cannot price BTC/XRP: the registry knows no XRP.'))
    expect(recorded.requests).toEqual([])
  })

  it('says which market got no ticker or an unusable one', async () => {
    const missing = source([{ method: 'GET', path: '/api/v3/ticker/24hr', file: 'ticker-24hr-symbols.json' }], undefined, { markets: ['BTC/USDT', 'ETH/USDT'] })
    await expect(missing.prices.fetchPrices()).rejects.toThrow('binance sent no ticker for ETH/USDT.')
    const exchange = {
      ...missing.recorded.exchange,
      has: { fetchTickers: true },
      fetchTickers: async () => ({ 'BTC/USDT': { symbol: 'BTC/USDT', bid: 1 } }),
    }
    const unusable = createCcxtPriceSource({ name: 'binance', exchange, registry: RECORDED_REGISTRY, markets: ['BTC/USDT'], clock: fixtureClock(FIXED_TIME) })
    const error = await unusable.fetchPrices().catch((caught: unknown) => caught)
    expect((error as SourceError).shortMessage).toBe('binance sent an unusable ticker for BTC/USDT.')
    expect((error as SourceError).details).toBe('Expected an ask in the ticker of BTC/USDT, found none.')
  })

  it('turns an exchange error into a SourceError', async () => {
    const { prices } = source([{ method: 'GET', path: '/api/v3/ticker/24hr', file: 'error-418-ip-banned.json', status: 418 }])
    await expect(prices.fetchPrices()).rejects.toThrow('binance did not report its tickers (rate_limited, worth retrying).')
    const invalid = source([{ method: 'GET', path: '/api/v3/ticker/24hr', file: 'error-1121-invalid-symbol.json', status: 400 }])
    await expect(invalid.prices.fetchPrices()).rejects.toThrow('binance did not report its tickers (bad_symbol).')
  })
})
