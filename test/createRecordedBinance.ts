import { readFileSync } from 'node:fs'
import ccxt from 'ccxt'
import type { CcxtExchange } from '../src/adapters/ccxt/CcxtExchange.js'
import { type Currency, createCurrency } from '../src/domain/money/index.js'

const PAYLOADS = new URL('./payloads/binance/', import.meta.url)

/** One recorded answer: a payload file (or a literal body) for a method, a path and, optionally, query parameters. */
export type RecordedRoute = {
  readonly method: 'GET' | 'POST' | 'DELETE'
  /** URL path, `/api/v3/depth`. */
  readonly path: string
  /** Parameters the request must carry, matched exactly (`{ symbol: 'BTCUSDT' }`). */
  readonly query?: Readonly<Record<string, string>> | undefined
  /** A file of `test/payloads/binance/`; none with `timeout`. */
  readonly file?: string | undefined
  readonly status?: number | undefined
  /** No answer comes: the request fails as ccxt's own fetch fails on its timeout (`RequestTimeout`). */
  readonly timeout?: boolean | undefined
  /** How many requests it answers before the next matching route takes over; unlimited by default. */
  readonly times?: number | undefined
}

/** One request ccxt sent, its query string and form body read into parameters. */
export type RecordedRequest = {
  readonly method: string
  readonly path: string
  readonly params: Readonly<Record<string, string>>
}

export type CreateRecordedBinanceParameters = {
  routes: readonly RecordedRoute[]
  /** Overrides of ccxt's feature flags (`{ fetchTickers: false }`). */
  has?: Readonly<Record<string, boolean>> | undefined
}

export type RecordedBinance = {
  readonly exchange: CcxtExchange
  /** Every request ccxt sent, in order. */
  readonly requests: RecordedRequest[]
  /** Requests no route answered; each also failed at the caller with an error naming it. */
  readonly unanswered: RecordedRequest[]
}

/** The currencies of the recorded payloads, by Binance code. XRP is left out on purpose: its market must be skipped. */
export const BTC = createCurrency({ symbol: 'BTC', decimals: 8 })
export const ETH = createCurrency({ symbol: 'ETH', decimals: 18, chain: 'ethereum' })
export const LTC = createCurrency({ symbol: 'LTC', decimals: 8 })
export const BNB = createCurrency({ symbol: 'BNB', decimals: 18 })
export const USDT = createCurrency({ symbol: 'USDT', decimals: 6, chain: 'ethereum', address: '0xdAC17F958D2ee523a2206206994597C13D831ec7' })
export const RECORDED_REGISTRY: ReadonlyMap<string, Currency> = new Map([BTC, ETH, LTC, BNB, USDT].map((currency) => [currency.symbol, currency]))

/** The public market data routes: exchangeInfo and the two recorded books. */
export const MARKET_DATA_ROUTES: readonly RecordedRoute[] = [
  { method: 'GET', path: '/api/v3/exchangeInfo', file: 'exchangeInfo.json' },
  { method: 'GET', path: '/api/v3/depth', query: { symbol: 'BTCUSDT' }, file: 'depth-BTCUSDT.json' },
  { method: 'GET', path: '/api/v3/depth', query: { symbol: 'ETHUSDT' }, file: 'depth-ETHUSDT.json' },
]

/** Reads a recorded payload as the text Binance sent. */
export function readPayload(file: string): string {
  return readFileSync(new URL(file, PAYLOADS), 'utf8')
}

/**
 * Creates a real `ccxt.binance`, restricted to spot markets and without the private currency
 * call, whose HTTP layer answers from recorded Binance payloads: ccxt builds, signs and parses
 * every request as it would against Binance, and handles each status and error body with its
 * own error mapping. A request no route answers fails loudly.
 */
export function createRecordedBinance(parameters: CreateRecordedBinanceParameters): RecordedBinance {
  const exchange = new ccxt.binance({
    // Placeholders so ccxt signs private requests; nothing leaves the process.
    apiKey: 'recorded-api-key',
    secret: 'recorded-secret',
    enableRateLimit: false,
    options: {
      // Only GET /api/v3/exchangeInfo on loadMarkets: no futures, no margin pairs, no
      // sapi capital/config/getall (fetchCurrencies is a private call on Binance).
      fetchMarkets: { types: ['spot'] },
      fetchMargins: false,
      fetchCurrencies: false,
    },
  })
  if (parameters.has) exchange.has = { ...exchange.has, ...parameters.has }
  const requests: RecordedRequest[] = []
  const unanswered: RecordedRequest[] = []
  const used = new Map<RecordedRoute, number>()

  exchange.fetch = async (url: string, method = 'GET', headers?: Record<string, string>, body?: string) => {
    const parsed = new URL(url)
    const params: Record<string, string> = Object.fromEntries(parsed.searchParams)
    if (typeof body === 'string' && body.length > 0) Object.assign(params, Object.fromEntries(new URLSearchParams(body)))
    const request: RecordedRequest = { method, path: parsed.pathname, params }
    requests.push(request)
    const route = parameters.routes.find(
      (candidate) =>
        candidate.method === method &&
        candidate.path === parsed.pathname &&
        Object.entries(candidate.query ?? {}).every(([key, value]) => params[key] === value) &&
        (candidate.times === undefined || (used.get(candidate) ?? 0) < candidate.times),
    )
    if (!route) {
      unanswered.push(request)
      throw new Error(`No recorded Binance response for ${method} ${parsed.pathname}${parsed.search}.`)
    }
    used.set(route, (used.get(route) ?? 0) + 1)
    // The message ccxt's fetch gives when its timer fires before the response.
    if (route.timeout || route.file === undefined) throw new ccxt.RequestTimeout(`binance ${method} ${url} request timed out (${exchange.timeout} ms)`)
    const status = route.status ?? 200
    const response = new Response(readPayload(route.file), { status, headers: { 'Content-Type': 'application/json' } })
    // ccxt's own status and error-body handling, exactly as after a real HTTP call.
    return exchange.handleRestResponse(response, url, method, headers, body)
  }
  return { exchange, requests, unanswered }
}
