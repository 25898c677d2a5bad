import ccxt from 'ccxt'
import { describe, expect, it } from 'vitest'
import { BTC, ETH, LTC, MARKET_DATA_ROUTES, RECORDED_REGISTRY, USDT, createRecordedBinance } from '../../../test/createRecordedBinance.js'
import { type Currency, Fraction } from '../../domain/money/index.js'
import { InvalidAmountError } from '../../errors/index.js'
import {
  type CcxtMarketRules,
  classifyCcxtError,
  decimalFromNumber,
  fractionFromNumber,
  isFinalStatus,
  parseCcxtBalance,
  parseCcxtMarket,
  parseCcxtOrder,
  parseCcxtOrderBook,
  parseCcxtOrderStatus,
  parseCcxtTicker,
} from './parseCcxt.js'

async function recordedMarkets() {
  const { exchange } = createRecordedBinance({ routes: MARKET_DATA_ROUTES })
  return { exchange, markets: await exchange.loadMarkets() }
}

async function rulesOf(symbol: string, registry: ReadonlyMap<string, Currency> = RECORDED_REGISTRY): Promise<CcxtMarketRules> {
  const { markets } = await recordedMarkets()
  const market = markets[symbol]
  if (!market) throw new Error(`no ${symbol} in the recorded exchangeInfo`)
  const rules = parseCcxtMarket(market, registry)
  if (!rules) throw new Error(`${symbol} was skipped`)
  return rules
}

describe('decimalFromNumber', () => {
  it('writes the decimal a number stands for, rewriting exponent forms on the digits', () => {
    expect(decimalFromNumber(0.00001)).toBe('0.00001')
    expect(decimalFromNumber(42574.3)).toBe('42574.3')
    expect(decimalFromNumber(1e-7)).toBe('0.0000001')
    expect(decimalFromNumber(1.5e-8)).toBe('0.000000015')
    expect(decimalFromNumber(-2.5e-8)).toBe('-0.000000025')
    expect(decimalFromNumber(1.23e22)).toBe('12300000000000000000000')
    expect(decimalFromNumber(1e21)).toBe('1000000000000000000000')
    expect(decimalFromNumber(0)).toBe('0')
  })

  it('reads the decimals ccxt parsed from Binance strings back exactly', () => {
    // ccxt reads "0.00001000" and "5167027510.68728707" with parseFloat.
    expect(fractionFromNumber(Number.parseFloat('0.00001000')).equals(new Fraction(1n, 100_000n))).toBe(true)
    expect(decimalFromNumber(Number.parseFloat('0.91974100'))).toBe('0.919741')
    expect(decimalFromNumber(Number.parseFloat('128.52621715'))).toBe('128.52621715')
  })

  it('refuses what is not a finite number', () => {
    expect(() => decimalFromNumber(Number.POSITIVE_INFINITY)).toThrow(InvalidAmountError)
    expect(() => decimalFromNumber(Number.NaN)).toThrow('Expected a finite number from the exchange, found NaN.')
  })
})

describe('parseCcxtMarket on the recorded exchangeInfo', () => {
  it('reads the taker fee in bps, the NOTIONAL minimum and the LOT_SIZE step of each spot market', async () => {
    const btc = await rulesOf('BTC/USDT')
    expect(btc.symbol).toBe('BTC/USDT')
    expect(btc.base).toBe(BTC)
    expect(btc.quote).toBe(USDT)
    // ccxt's binance taker rate 0.001 is 10 bps.
    expect(btc.takerFeeBps.equals(new Fraction(10n))).toBe(true)
    // NOTIONAL minNotional "5.00000000".
    expect(btc.minNotional.toString()).toBe('5 USDT')
    // LOT_SIZE stepSize "0.00001000" BTC is 1,000 satoshis.
    expect(btc.amountStep).toBe(1_000n)

    const eth = await rulesOf('ETH/USDT')
    // stepSize "0.00010000" ETH in wei.
    expect(eth.amountStep).toBe(100_000_000_000_000n)
    const ltc = await rulesOf('LTC/USDT')
    expect(ltc.amountStep).toBe(100_000n)
  })

  it('skips a market whose base or quote the registry does not know', async () => {
    const { markets } = await recordedMarkets()
    expect(parseCcxtMarket(markets['XRP/USDT'] as NonNullable<(typeof markets)['XRP/USDT']>, RECORDED_REGISTRY)).toBeUndefined()
    const withoutUsdt = new Map([...RECORDED_REGISTRY].filter(([code]) => code !== 'USDT'))
    expect(parseCcxtMarket(markets['BTC/USDT'] as NonNullable<(typeof markets)['BTC/USDT']>, withoutUsdt)).toBeUndefined()
  })

  it('rounds a step finer than the base unit up to one unit, and skips inactive or non-spot markets', () => {
    const market = { symbol: 'BTC/USDT', base: 'BTC', quote: 'USDT', taker: 0.001, precision: { amount: 1e-12 }, limits: { cost: { min: 5 } } }
    expect(parseCcxtMarket(market, RECORDED_REGISTRY)?.amountStep).toBe(1n)
    expect(parseCcxtMarket({ ...market, precision: {} }, RECORDED_REGISTRY)?.amountStep).toBeUndefined()
    expect(parseCcxtMarket({ ...market, limits: {} }, RECORDED_REGISTRY)?.minNotional.toString()).toBe('0 USDT')
    expect(parseCcxtMarket({ ...market, active: false }, RECORDED_REGISTRY)).toBeUndefined()
    expect(parseCcxtMarket({ ...market, spot: false }, RECORDED_REGISTRY)).toBeUndefined()
    expect(() => parseCcxtMarket({ ...market, taker: undefined }, RECORDED_REGISTRY)).toThrow('Expected a taker fee for BTC/USDT, found none.')
  })
})

describe('parseCcxtOrderBook on the recorded depth', () => {
  it('keeps each level exact: price in USDT base units per satoshi, size in satoshis', async () => {
    const { exchange } = await recordedMarkets()
    const book = parseCcxtOrderBook(await rulesOf('BTC/USDT'), await exchange.fetchOrderBook('BTC/USDT'))
    // ["42574.30000000", "0.01070000"]: 42,574.3 USDT per BTC is 42,574,300,000 / 100,000,000 per satoshi.
    expect(book.bids.map((level) => [level.price.toSignificant(10), level.size])).toEqual([
      ['425.743', 1_070_000n],
      ['425.742', 646_000n],
    ])
    expect(book.asks.map((level) => [level.price.toSignificant(10), level.size])).toEqual([
      ['425.7431', 870_000n],
      ['425.748', 893_000n],
    ])
    expect(book.minNotional.toString()).toBe('5 USDT')
  })

  it('refuses a level without a price', async () => {
    const rules = await rulesOf('BTC/USDT')
    expect(() => parseCcxtOrderBook(rules, { bids: [[undefined, 1]], asks: [] })).toThrow('Expected a price at the bid level 0 of BTC/USDT, found none.')
  })
})

describe('parseCcxtBalance on the recorded account', () => {
  it('reports each free balance the registry knows as an exchange holding, zero balances left out', async () => {
    const { exchange } = createRecordedBinance({ routes: [...MARKET_DATA_ROUTES, { method: 'GET', path: '/api/v3/account', file: 'account.json' }] })
    const holdings = parseCcxtBalance(await exchange.fetchBalance(), RECORDED_REGISTRY, 'binance')
    expect(holdings.map((holding) => holding.amount.toString())).toEqual(['0.919741 LTC', '0.02229833 ETH'])
    expect(holdings[0]?.amount.currency).toBe(LTC)
    expect(holdings[1]?.amount.raw).toBe(22_298_330_000_000_000n)
    for (const holding of holdings) {
      expect(holding.venue).toBe('binance')
      expect(holding.source).toBe('exchange_balance')
      expect(holding.custody).toEqual({ kind: 'exchange', exchange: 'binance' })
    }
  })

  it('skips entries that are not balances', () => {
    expect(parseCcxtBalance({ LTC: 'oops', ETH: { free: undefined }, BTC: null }, RECORDED_REGISTRY, 'binance')).toEqual([])
  })
})

describe('parseCcxtOrder', () => {
  async function placed(file: string) {
    const { exchange } = createRecordedBinance({ routes: [...MARKET_DATA_ROUTES, { method: 'POST', path: '/api/v3/order', file }] })
    return exchange.createOrder('BTC/USDT', 'market', 'sell', 0.00847, undefined, { clientOrderId: 'dust-1-0' })
  }

  it('reads the recorded FULL sell: 0.00847 BTC for 198.335215 USDT, its 0 BNB commission kept apart', async () => {
    const fill = parseCcxtOrder(await placed('order-post-full.json'), await rulesOf('BTC/USDT'), RECORDED_REGISTRY)
    expect(fill.id).toBe('12569099453')
    expect(fill.clientOrderId).toBe('4d96324ff9d44481926157ec08158a40')
    expect(fill.status).toBe('closed')
    expect(fill.side).toBe('sell')
    expect(fill.amountIn.toString()).toBe('0.00847 BTC')
    // 0.00635 × 23,416.1 + 0.00212 × 23,416.5 = 148.692235 + 49.64298.
    expect(fill.amountOut.toString()).toBe('198.335215 USDT')
    expect(fill.fee.toString()).toBe('0 USDT')
    expect(fill.otherFees.map(String)).toEqual(['0 BNB'])
    expect(fill.feeReported).toBe(true)
  })

  it('lists a fee in a currency the registry does not know as text', async () => {
    const registry = new Map([...RECORDED_REGISTRY].filter(([code]) => code !== 'BNB'))
    const fill = parseCcxtOrder(await placed('order-post-full.json'), await rulesOf('BTC/USDT', registry), registry)
    expect(fill.otherFees).toEqual([])
    expect(fill.unknownFees).toEqual(['0 BNB'])
  })

  it('reads the recorded FULL buy: 29.470815 USDT spent for 0.0005 BTC, the BNB commission not taken from the BTC', async () => {
    const fill = parseCcxtOrder(await placed('order-post-full-bnb-fee.json'), await rulesOf('BTC/USDT'), RECORDED_REGISTRY)
    expect(fill.side).toBe('buy')
    expect(fill.amountIn.toString()).toBe('29.470815 USDT')
    expect(fill.amountOut.toString()).toBe('0.0005 BTC')
    expect(fill.fee.toString()).toBe('0 BTC')
    expect(fill.otherFees.map(String)).toEqual(['0.0000705 BNB'])
  })

  it('takes a fee charged in the quote from the proceeds of a sell', async () => {
    // The unified fields of the recorded LTC/USDT trade 309520010 (ccxt's fetchMyTrades fixture):
    // 0.2 LTC sold for 13.926 USDT, commission 0.013926 USDT.
    const fill = parseCcxtOrder(
      { id: '3784695242', side: 'sell', status: 'closed', filled: 0.2, cost: 13.926, fee: { cost: 0.013926, currency: 'USDT' } },
      await rulesOf('LTC/USDT'),
      RECORDED_REGISTRY,
    )
    expect(fill.amountIn.toString()).toBe('0.2 LTC')
    expect(fill.amountOut.toString()).toBe('13.912074 USDT')
    expect(fill.fee.toString()).toBe('0.013926 USDT')
  })

  it('works out the cost from the average price, and refuses orders it cannot read', async () => {
    const rules = await rulesOf('LTC/USDT')
    expect(parseCcxtOrder({ id: '1', side: 'sell', status: 'closed', filled: 0.2, average: 69.63 }, rules, RECORDED_REGISTRY).amountOut.toString()).toBe('13.926 USDT')
    expect(parseCcxtOrder({ id: '1', side: 'sell', status: 'open' }, rules, RECORDED_REGISTRY).amountOut.toString()).toBe('0 USDT')
    expect(() => parseCcxtOrder({ side: 'sell' }, rules, RECORDED_REGISTRY)).toThrow('Expected an order id from LTC/USDT, found none.')
    expect(() => parseCcxtOrder({ id: '1', side: 'short' }, rules, RECORDED_REGISTRY)).toThrow('to be a buy or a sell, found short')
    expect(() => parseCcxtOrder({ id: '1', side: 'sell', filled: 0.2 }, rules, RECORDED_REGISTRY)).toThrow('filled 0.2 but reports no cost')
    expect(() => parseCcxtOrder({ id: '1', side: 'sell', filled: 0.2, cost: 1, fee: { cost: 2, currency: 'USDT' } }, rules, RECORDED_REGISTRY)).toThrow(
      'reports a fee of 2 USDT, more than the 1 USDT it received',
    )
  })
})

describe('parseCcxtOrderStatus', () => {
  it('maps ccxt statuses, counting anything unfinished as open', () => {
    expect(['closed', 'canceled', 'cancelled', 'expired', 'rejected', 'open', undefined, 'canceling'].map(parseCcxtOrderStatus)).toEqual([
      'closed',
      'canceled',
      'canceled',
      'expired',
      'rejected',
      'open',
      'open',
      'open',
    ])
    expect(isFinalStatus('closed')).toBe(true)
    expect(isFinalStatus('open')).toBe(false)
  })
})

describe('parseCcxtTicker on the recorded 24hr ticker', () => {
  it('answers the exact mid of bid and ask, observed at the ticker time', async () => {
    const { exchange } = createRecordedBinance({
      routes: [...MARKET_DATA_ROUTES, { method: 'GET', path: '/api/v3/ticker/24hr', file: 'ticker-24hr-BTCUSDT.json' }],
    })
    const price = parseCcxtTicker(await exchange.fetchTicker('BTC/USDT'), BTC, USDT, 'binance', 0)
    // (73,369.83 + 73,369.84) / 2.
    expect(price.perToken().toDecimalString(8)).toBe('73369.835')
    expect(price.origin).toEqual({ source: 'binance', at: 1_710_328_245_391 })
  })

  it('falls back to the given time, and refuses a ticker without both sides', () => {
    expect(parseCcxtTicker({ bid: 1, ask: 3 }, ETH, USDT, 'binance', 42).origin.at).toBe(42)
    expect(() => parseCcxtTicker({ symbol: 'ETH/USDT', bid: 1 }, ETH, USDT, 'binance', 0)).toThrow('Expected an ask in the ticker of ETH/USDT, found none.')
    expect(() => parseCcxtTicker({ bid: 0, ask: 1 }, ETH, USDT, 'binance', 0)).toThrow('must have a positive bid and ask')
  })
})

describe('classifyCcxtError', () => {
  it("follows ccxt's error tree: network trouble is retried, exchange refusals are not", () => {
    expect(classifyCcxtError(new ccxt.RateLimitExceeded('binance 429'))).toEqual({ retryable: true, reason: 'rate_limited' })
    expect(classifyCcxtError(new ccxt.DDoSProtection('binance 418'))).toEqual({ retryable: true, reason: 'rate_limited' })
    expect(classifyCcxtError(new ccxt.RequestTimeout('timed out'))).toEqual({ retryable: true, reason: 'request_timeout' })
    expect(classifyCcxtError(new ccxt.OnMaintenance('maintenance'))).toEqual({ retryable: true, reason: 'exchange_maintenance' })
    expect(classifyCcxtError(new ccxt.ExchangeNotAvailable('down'))).toEqual({ retryable: true, reason: 'exchange_unavailable' })
    expect(classifyCcxtError(new ccxt.InvalidNonce('-1021'))).toEqual({ retryable: true, reason: 'invalid_nonce' })
    expect(classifyCcxtError(new ccxt.NetworkError('reset'))).toEqual({ retryable: true, reason: 'network_error' })
    expect(classifyCcxtError(new ccxt.OperationFailed('-1001'))).toEqual({ retryable: true, reason: 'operation_failed' })
    expect(classifyCcxtError(new ccxt.BadResponse('garbled'))).toEqual({ retryable: false, reason: 'bad_response' })
    expect(classifyCcxtError(new ccxt.InsufficientFunds('-2010'))).toEqual({ retryable: false, reason: 'insufficient_funds' })
    expect(classifyCcxtError(new ccxt.OrderNotFound('-2013'))).toEqual({ retryable: false, reason: 'order_not_found' })
    expect(classifyCcxtError(new ccxt.InvalidOrder('LOT_SIZE'))).toEqual({ retryable: false, reason: 'invalid_order' })
    expect(classifyCcxtError(new ccxt.PermissionDenied('no'))).toEqual({ retryable: false, reason: 'permission_denied' })
    expect(classifyCcxtError(new ccxt.AuthenticationError('-2015'))).toEqual({ retryable: false, reason: 'authentication_failed' })
    expect(classifyCcxtError(new ccxt.BadSymbol('-1121'))).toEqual({ retryable: false, reason: 'bad_symbol' })
    expect(classifyCcxtError(new ccxt.BadRequest('-1100'))).toEqual({ retryable: false, reason: 'bad_request' })
    expect(classifyCcxtError(new ccxt.NotSupported('no'))).toEqual({ retryable: false, reason: 'not_supported' })
    expect(classifyCcxtError(new ccxt.OperationRejected('no'))).toEqual({ retryable: false, reason: 'operation_rejected' })
    expect(classifyCcxtError(new ccxt.ExchangeError('other'))).toEqual({ retryable: false, reason: 'exchange_error' })
    expect(classifyCcxtError(new ccxt.BaseError('base'))).toEqual({ retryable: false, reason: 'exchange_error' })
    expect(classifyCcxtError(new TypeError('bug'))).toEqual({ retryable: false, reason: 'unexpected_error' })
  })
})
