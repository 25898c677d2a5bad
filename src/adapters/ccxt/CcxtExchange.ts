import type { CcxtBalancesInput, CcxtMarketInput, CcxtOrderBookInput, CcxtOrderInput, CcxtTickerInput } from './parseCcxt.js'

/**
 * Is the part of a ccxt `Exchange` the ccxt adapters call. A ccxt instance (`new ccxt.binance()`)
 * satisfies it, so the caller builds and configures the exchange while no ccxt type appears in
 * these adapters' signatures.
 */
export type CcxtExchange = {
  readonly id: string
  readonly has: { readonly [feature: string]: boolean | string | undefined }
  loadMarkets(reload?: boolean): Promise<{ readonly [symbol: string]: CcxtMarketInput | undefined }>
  fetchOrderBook(symbol: string): Promise<CcxtOrderBookInput>
  fetchTicker(symbol: string): Promise<CcxtTickerInput>
  fetchTickers(symbols?: string[]): Promise<{ readonly [symbol: string]: CcxtTickerInput }>
  fetchBalance(): Promise<CcxtBalancesInput>
  createOrder(symbol: string, type: string, side: string, amount: number, price?: number, params?: Record<string, unknown>): Promise<CcxtOrderInput>
  fetchOrder(id: string, symbol?: string, params?: Record<string, unknown>): Promise<CcxtOrderInput>
}
