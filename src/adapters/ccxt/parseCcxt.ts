import {
  AuthenticationError,
  BadRequest,
  BadResponse,
  BadSymbol,
  DDoSProtection,
  ExchangeError,
  ExchangeNotAvailable,
  InsufficientFunds,
  InvalidNonce,
  InvalidOrder,
  NetworkError,
  NotSupported,
  OnMaintenance,
  OperationFailed,
  OperationRejected,
  OrderNotFound,
  PermissionDenied,
  RateLimitExceeded,
  RequestTimeout,
  BaseError as CcxtBaseError,
} from 'ccxt'
import type { ConversionFailureReason } from '../../domain/conversions/index.js'
import type { Holding } from '../../domain/dust/index.js'
import { Amount, type Currency, Fraction, Price } from '../../domain/money/index.js'
import type { OrderBookLevel, OrderBookMarket } from '../../domain/planning/orderBook.js'
import { InvalidAmountError } from '../../errors/index.js'

// The shapes below are the parts of ccxt's unified structures this adapter reads. ccxt's own
// types satisfy them structurally, so callers pass ccxt values while no ccxt type appears in a
// signature outside this folder.

/** Is the part of a ccxt market (`exchange.markets['EIGEN/USDT']`) the venue reads. */
export type CcxtMarketInput = {
  readonly symbol: string
  readonly base: string
  readonly quote: string
  readonly spot?: boolean | undefined
  readonly active?: boolean | undefined
  /** Taker fee as a rate (0.001 for 10 bps). */
  readonly taker?: number | undefined
  /** In ccxt's TICK_SIZE precision mode (Binance), `amount` is the step itself (0.01). */
  readonly precision: { readonly amount?: number | undefined }
  readonly limits: { readonly cost?: { readonly min?: number | undefined } | undefined }
}

/** Is a ccxt order book: levels of `[price, amount]` in whole tokens. */
export type CcxtOrderBookInput = {
  readonly bids: ReadonlyArray<readonly [number | undefined, number | undefined]>
  readonly asks: ReadonlyArray<readonly [number | undefined, number | undefined]>
  readonly timestamp?: number | undefined
}

/** Is a ccxt fee: a cost in a currency code. */
export type CcxtFeeInput = { readonly cost?: number | undefined; readonly currency?: string | undefined }

/** Is the part of a ccxt order the venue reads. */
export type CcxtOrderInput = {
  readonly id?: string | undefined
  readonly clientOrderId?: string | undefined
  readonly symbol?: string | undefined
  readonly status?: string | undefined
  readonly side?: string | undefined
  readonly filled?: number | undefined
  readonly cost?: number | undefined
  readonly average?: number | undefined
  readonly fee?: CcxtFeeInput | undefined
  readonly fees?: ReadonlyArray<CcxtFeeInput> | undefined
}

/** Is the part of a ccxt ticker the price source reads. */
export type CcxtTickerInput = {
  readonly symbol?: string | undefined
  readonly bid?: number | undefined
  readonly ask?: number | undefined
  readonly timestamp?: number | undefined
}

/** Is a ccxt balance: `{ [code]: { free, used, total } }` beside `info`, `free`, `used`, `total`. */
export type CcxtBalancesInput = { readonly [code: string]: unknown }

/** Is one market's trading rules, in domain values: everything of an `OrderBookMarket` but its levels. */
export type CcxtMarketRules = Omit<OrderBookMarket, 'bids' | 'asks'>

/** Says how an order stands: `open` until one of the final states. */
export type CcxtOrderStatus = 'open' | 'closed' | 'canceled' | 'expired' | 'rejected'

/** Is what an order did, in domain amounts. */
export type CcxtFill = {
  readonly id: string
  readonly clientOrderId: string | undefined
  readonly status: CcxtOrderStatus
  readonly side: 'buy' | 'sell'
  /** What was given up: the base filled (sell) or the quote spent (buy). */
  readonly amountIn: Amount
  /** What arrived: the quote proceeds (sell) or the base bought (buy), less the fee charged in it. */
  readonly amountOut: Amount
  /** The fee charged in the output currency, already taken from `amountOut`; zero when none was reported. */
  readonly fee: Amount
  /** Fees charged in other currencies of the registry (BNB), not taken from `amountOut`. */
  readonly otherFees: readonly Amount[]
  /** Fees in currencies the registry does not know, as `"0.0000705 BNB"`. */
  readonly unknownFees: readonly string[]
  /** Whether the exchange reported any fee at all (Binance's order query does not). */
  readonly feeReported: boolean
}

/**
 * Is a ccxt error sorted by whether trying again may succeed, with the failure reason it names;
 * `unexpected_error` when the error is not ccxt's (a bug, a garbled answer), for the adapter to
 * rethrow or report as `venue_error`.
 */
export type CcxtErrorClass = { readonly retryable: boolean; readonly reason: ConversionFailureReason | 'unexpected_error' }

const BPS = 10_000n
const FINAL_STATUSES: ReadonlySet<CcxtOrderStatus> = new Set(['closed', 'canceled', 'expired', 'rejected'])

/**
 * Writes a finite JS number as the decimal string it stands for (`1e-7` → `"0.0000001"`).
 *
 * This is exact for the decimals an exchange sends. ccxt reads `"0.00001000"` with `parseFloat`,
 * which gives the double nearest that decimal; `String(n)` gives the shortest decimal that reads
 * back as the same double (ECMAScript Number::toString). A decimal of at most 15 significant
 * digits is the only such decimal of its double, so the round trip gives back the digits the
 * exchange sent (without trailing zeros). Only the exponent form needs rewriting, which is done
 * on the digits, never by arithmetic.
 */
// biome-ignore format: the float-ok mark stays on the line it marks
export function decimalFromNumber(value: number): string { // float-ok: ccxt hands numbers; turned into their exact decimal text, no arithmetic
  if (!Number.isFinite(value)) {
    throw new InvalidAmountError(`Expected a finite number from the exchange, found ${String(value)}.`)
  }
  const text = String(value)
  const match = /^(-)?(\d+)(?:\.(\d+))?e([+-]\d+)$/.exec(text)
  if (!match) return text
  const [, sign = '', whole = '', frac = '', exponentText = '0'] = match
  const digits = `${whole}${frac}`
  const point = whole.length + Number(exponentText)
  let body: string
  if (point <= 0) body = `0.${'0'.repeat(-point)}${digits}`
  else if (point >= digits.length) body = `${digits}${'0'.repeat(point - digits.length)}`
  else body = `${digits.slice(0, point)}.${digits.slice(point)}`
  body = body.replace(/^0+(?=\d)/, '')
  if (body.includes('.')) body = body.replace(/0+$/, '').replace(/\.$/, '')
  return `${sign}${body}`
}

/** Reads a finite JS number from the exchange as an exact fraction (see `decimalFromNumber`). */
// biome-ignore format: the float-ok mark stays on the line it marks
export function fractionFromNumber(value: number): Fraction { // float-ok: through the exact decimal text
  return Fraction.fromDecimalString(decimalFromNumber(value)) // float-ok: through the exact decimal text
}

function required(value: number | undefined, what: string): number {
  if (value === undefined || value === null) throw new InvalidAmountError(`Expected ${what}, found none.`)
  return value
}

/** Quote base units per base base unit for a price in whole quote tokens per whole base token. */
function ratio(base: Currency, quote: Currency, perToken: Fraction): Fraction {
  return perToken
    .multiply(10n ** BigInt(quote.decimals))
    .divide(10n ** BigInt(base.decimals))
    .reduce()
}

/**
 * Reads a ccxt market's trading rules, resolving its base and quote through the registry by
 * symbol. Answers `undefined` for a market whose base or quote the registry does not know, or
 * that is not an active spot market.
 *
 * The taker fee becomes basis points; the minimum notional (`limits.cost.min`) rounds up to quote
 * base units and the amount step (`precision.amount`, a step in TICK_SIZE mode) up to base units,
 * both against us: a stricter rule than the venue's is never broken by the venue.
 */
export function parseCcxtMarket(market: CcxtMarketInput, registry: ReadonlyMap<string, Currency>): CcxtMarketRules | undefined {
  const base = registry.get(market.base)
  const quote = registry.get(market.quote)
  if (!base || !quote) return undefined
  if (market.spot === false || market.active === false) return undefined
  const taker = required(market.taker, `a taker fee for ${market.symbol}`)
  const takerFeeBps = fractionFromNumber(taker).multiply(BPS).reduce()
  const minCost = market.limits.cost?.min
  const minNotional = minCost === undefined ? Amount.zero(quote) : Amount.fromTokens(quote, fractionFromNumber(minCost), 'up')
  const stepTokens = market.precision.amount
  let amountStep: bigint | undefined
  if (stepTokens !== undefined && stepTokens > 0) {
    const step = Amount.fromTokens(base, fractionFromNumber(stepTokens), 'up').raw
    amountStep = step > 0n ? step : 1n
  }
  return { symbol: market.symbol, base, quote, takerFeeBps, minNotional, amountStep }
}

function parseLevels(rules: CcxtMarketRules, side: string, levels: CcxtOrderBookInput['bids']): OrderBookLevel[] {
  return levels.map(([price, size], index) => {
    const where = `${side} level ${index} of ${rules.symbol}`
    const perToken = fractionFromNumber(required(price, `a price at the ${where}`))
    // A size finer than the token's base unit is floored: never count on liquidity that is not there.
    const raw = Amount.fromTokens(rules.base, fractionFromNumber(required(size, `a size at the ${where}`)), 'down').raw
    return { price: ratio(rules.base, rules.quote, perToken), size: raw }
  })
}

/** Combines a market's rules with a ccxt order book snapshot into a domain order-book market. */
export function parseCcxtOrderBook(rules: CcxtMarketRules, book: CcxtOrderBookInput): OrderBookMarket {
  return { ...rules, bids: parseLevels(rules, 'bid', book.bids), asks: parseLevels(rules, 'ask', book.asks) }
}

const BALANCE_KEYS = new Set(['info', 'timestamp', 'datetime', 'free', 'used', 'total', 'debt'])

/**
 * Reads a ccxt balance as exchange holdings: the free balance of each currency the registry
 * knows, floored to base units, zero balances left out. Locked funds (open orders) are not
 * holdings a conversion can sell.
 */
export function parseCcxtBalance(balances: CcxtBalancesInput, registry: ReadonlyMap<string, Currency>, venue: string): Holding[] {
  const holdings: Holding[] = []
  for (const [code, entry] of Object.entries(balances)) {
    if (BALANCE_KEYS.has(code)) continue
    const currency = registry.get(code)
    if (!currency || typeof entry !== 'object' || entry === null || !('free' in entry)) continue
    const free: unknown = entry.free
    if (typeof free !== 'number') continue
    const amount = Amount.fromTokens(currency, fractionFromNumber(free), 'down')
    if (!amount.isPositive()) continue
    holdings.push({ amount, venue, source: 'exchange_balance', custody: { kind: 'exchange', exchange: venue } })
  }
  return holdings
}

/** Reads ccxt's order status; anything not final (`open`, none yet) counts as open. */
export function parseCcxtOrderStatus(status: string | undefined): CcxtOrderStatus {
  switch (status) {
    case 'closed':
    case 'canceled':
    case 'expired':
    case 'rejected':
      return status
    case 'cancelled':
      return 'canceled'
    default:
      return 'open'
  }
}

/** Tells whether an order status is final: the order will not trade any more. */
export function isFinalStatus(status: CcxtOrderStatus): boolean {
  return FINAL_STATUSES.has(status)
}

function orderFees(order: CcxtOrderInput): CcxtFeeInput[] {
  if (order.fees && order.fees.length > 0) return [...order.fees]
  return order.fee ? [order.fee] : []
}

/**
 * Reads a ccxt order of a market as a fill: what left, what arrived, and the fees.
 *
 * For a sell, `amountIn` is the base filled and `amountOut` the cost less a fee charged in the
 * quote; for a buy, `amountIn` is the quote spent and `amountOut` the base filled less a fee
 * charged in the base. What was given rounds up and what arrived down, fees up: against us.
 * The cost is ccxt's reading of the exchange's own figure (Binance's `cummulativeQuoteQty`), so
 * exact; the fallback `average × filled` is only as exact as ccxt's division that made `average`.
 */
export function parseCcxtOrder(order: CcxtOrderInput, rules: CcxtMarketRules, registry: ReadonlyMap<string, Currency>): CcxtFill {
  const id = order.id
  if (id === undefined) throw new InvalidAmountError(`Expected an order id from ${rules.symbol}, found none.`)
  const side = order.side === 'buy' ? 'buy' : order.side === 'sell' ? 'sell' : undefined
  if (!side) throw new InvalidAmountError(`Expected order ${id} on ${rules.symbol} to be a buy or a sell, found ${String(order.side)}.`)
  const filledTokens = fractionFromNumber(order.filled ?? 0)
  let costTokens: Fraction
  if (order.cost !== undefined) costTokens = fractionFromNumber(order.cost)
  else if (order.average !== undefined) costTokens = fractionFromNumber(order.average).multiply(filledTokens)
  else if (filledTokens.isZero()) costTokens = Fraction.ZERO
  else throw new InvalidAmountError(`Order ${id} on ${rules.symbol} filled ${decimalFromNumber(order.filled ?? 0)} but reports no cost.`)

  const [inCurrency, outCurrency] = side === 'sell' ? [rules.base, rules.quote] : [rules.quote, rules.base]
  const [inTokens, outTokens] = side === 'sell' ? [filledTokens, costTokens] : [costTokens, filledTokens]
  const amountIn = Amount.fromTokens(inCurrency, inTokens, 'up')
  const gross = Amount.fromTokens(outCurrency, outTokens, 'down')

  let fee = Amount.zero(outCurrency)
  const byCurrency = new Map<string, Amount>()
  const unknownFees: string[] = []
  let feesReported = 0
  for (const entry of orderFees(order)) {
    const { currency: code, cost: reported } = entry
    if (code === undefined || reported === undefined) continue
    feesReported += 1
    const cost = fractionFromNumber(reported)
    if (code === outCurrency.symbol) {
      fee = fee.add(Amount.fromTokens(outCurrency, cost, 'up'))
      continue
    }
    const currency = registry.get(code)
    if (!currency) {
      unknownFees.push(`${decimalFromNumber(reported)} ${code}`)
      continue
    }
    const charged = Amount.fromTokens(currency, cost, 'up')
    byCurrency.set(code, (byCurrency.get(code) ?? Amount.zero(currency)).add(charged))
  }
  if (fee.greaterThan(gross)) {
    throw new InvalidAmountError(`Order ${id} on ${rules.symbol} reports a fee of ${fee.toString()}, more than the ${gross.toString()} it received.`)
  }
  return {
    id,
    clientOrderId: order.clientOrderId,
    status: parseCcxtOrderStatus(order.status),
    side,
    amountIn,
    amountOut: gross.subtract(fee),
    fee,
    otherFees: [...byCurrency.values()],
    unknownFees,
    feeReported: feesReported > 0,
  }
}

/**
 * Reads a ccxt ticker as the mid price `(bid + ask) / 2` of `base` in `quote`, exact, observed
 * at the ticker's time (or at `fallbackAt` when the exchange sends none).
 */
export function parseCcxtTicker(ticker: CcxtTickerInput, base: Currency, quote: Currency, source: string, fallbackAt: number): Price {
  const where = ticker.symbol ?? `${base.symbol}/${quote.symbol}`
  const bid = fractionFromNumber(required(ticker.bid, `a bid in the ticker of ${where}`))
  const ask = fractionFromNumber(required(ticker.ask, `an ask in the ticker of ${where}`))
  if (bid.numerator <= 0n || ask.numerator <= 0n) {
    throw new InvalidAmountError(`The ticker of ${where} must have a positive bid and ask, found ${bid.toSignificant(8)} and ${ask.toSignificant(8)}.`)
  }
  const mid = bid.add(ask).divide(2n).reduce()
  return Price.fromTokens(base, quote, mid, { source, at: ticker.timestamp ?? fallbackAt })
}

// Most specific first: the first class an error is an instance of names it.
const ERROR_CLASSES: ReadonlyArray<readonly [abstract new (...args: never[]) => Error, ConversionFailureReason, boolean]> = [
  [RateLimitExceeded, 'rate_limited', true],
  [DDoSProtection, 'rate_limited', true],
  [RequestTimeout, 'request_timeout', true],
  [OnMaintenance, 'exchange_maintenance', true],
  [ExchangeNotAvailable, 'exchange_unavailable', true],
  [InvalidNonce, 'invalid_nonce', true],
  [NetworkError, 'network_error', true],
  [BadResponse, 'bad_response', false],
  [OperationFailed, 'operation_failed', true],
  [InsufficientFunds, 'insufficient_funds', false],
  [OrderNotFound, 'order_not_found', false],
  [InvalidOrder, 'invalid_order', false],
  [PermissionDenied, 'permission_denied', false],
  [AuthenticationError, 'authentication_failed', false],
  [BadSymbol, 'bad_symbol', false],
  [BadRequest, 'bad_request', false],
  [NotSupported, 'not_supported', false],
  [OperationRejected, 'operation_rejected', false],
  [ExchangeError, 'exchange_error', false],
]

/**
 * Sorts an error by ccxt's error tree: what `NetworkError` and `OperationFailed` cover (rate
 * limits, IP bans, timeouts, maintenance, unknown execution status) is worth retrying; what
 * `ExchangeError` covers (insufficient funds, invalid orders, bad credentials, unknown symbols)
 * is not. An error that is not ccxt's is not retried.
 */
export function classifyCcxtError(error: unknown): CcxtErrorClass {
  for (const [type, reason, retryable] of ERROR_CLASSES) {
    if (error instanceof type) return { retryable, reason }
  }
  if (error instanceof CcxtBaseError) return { retryable: false, reason: 'exchange_error' }
  return { retryable: false, reason: 'unexpected_error' }
}
