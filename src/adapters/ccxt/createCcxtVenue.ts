import type { ConversionFailureReason } from '../../domain/conversions/index.js'
import { type Amount, type Currency, isSameCurrency } from '../../domain/money/index.js'
import type { OrderBookMarket } from '../../domain/planning/orderBook.js'
import { quoteOrderBookBuy } from '../../domain/planning/quoteOrderBookBuy.js'
import { quoteOrderBookSell } from '../../domain/planning/quoteOrderBookSell.js'
import type { RouteQuote, RouteQuoteFailure } from '../../domain/planning/RouteQuote.js'
import { splitPath } from '../../domain/planning/splitPath.js'
import { OUTCOME_UNKNOWN } from '../../domain/planning/StepReceipt.js'
import { InvalidAmountError, VenueError, redactUrls } from '../../errors/index.js'
import type { Clock, ConversionVenue, StepLookup } from '../../ports/index.js'
import { type HopResult, quotePath } from '../static/quotePath.js'
import type { CcxtExchange } from './CcxtExchange.js'
import {
  type CcxtErrorClass,
  type CcxtFill,
  type CcxtMarketRules,
  type CcxtOrderInput,
  classifyCcxtError,
  decimalFromNumber,
  isFinalStatus,
  parseCcxtMarket,
  parseCcxtOrder,
  parseCcxtOrderBook,
  parseCcxtOrderStatus,
} from './parseCcxt.js'

export type CreateCcxtVenueParameters = {
  /** Venue name from the config (`binance`). */
  name: string
  /** Chain on which the exchange takes deposits of on-chain tokens. */
  chain: string
  /** A ccxt exchange, built and configured (keys, spot markets only) by the caller. */
  exchange: CcxtExchange
  /** Resolves an exchange's currency code to the registry's currency; markets of unknown codes are left out. */
  registry: ReadonlyMap<string, Currency>
  clock: Clock
  /** Fill against the fetched books and place no order. */
  paper: boolean
  /** Market symbols to trade (`EIGEN/USDT`); every spot market between registry currencies when absent. */
  markets?: readonly string[] | undefined
  /** How long a fetched order book answers quotes, in milliseconds (2,000 by default), so a cycle fetches each book once. */
  bookTtlMs?: number | undefined
  /** How many times an order not yet final is fetched again before giving up (10 by default). */
  maxPolls?: number | undefined
  /** Wait before each poll, in milliseconds (500 by default). */
  pollDelayMs?: number | undefined
}

/** Is one hop of a sale as it was carried out: a market order (live) or a fill against the snapshot (paper). */
export type CcxtHopFill = {
  readonly market: string
  readonly side: 'buy' | 'sell'
  /** The exchange's order id; absent on paper. */
  readonly orderId: string | undefined
  readonly clientOrderId: string | undefined
  readonly amountIn: Amount
  readonly amountOut: Amount
  /** The fee charged in the output currency, already taken from `amountOut`. */
  readonly fee: Amount
  readonly otherFees: readonly Amount[]
  readonly unknownFees: readonly string[]
  /** `reported` by the exchange (on paper, the book's own taker fee), or `estimated` from the taker fee when the exchange reported none. */
  readonly feeSource: 'reported' | 'estimated'
}

/** Is how a sale ended. A failure lists the hops that did trade, since their tokens moved. */
export type CcxtSellResult =
  | {
      readonly ok: true
      readonly paper: boolean
      /** What was really sold, in `path[0]`. */
      readonly amountIn: Amount
      /** What the request left unsold (an amount step), in `path[0]`. */
      readonly residual: Amount
      /** What arrived, in the last currency of the path. */
      readonly amountOut: Amount
      /** What later hops left unspent in intermediate currencies. */
      readonly leftovers: readonly Amount[]
      readonly hops: readonly CcxtHopFill[]
    }
  | {
      readonly ok: false
      readonly reason: ConversionFailureReason
      readonly detail: string
      readonly retryable: boolean
      readonly hops: readonly CcxtHopFill[]
    }

/** A CEX venue over ccxt that quotes from live order books and sells with market orders (or on paper). */
export type CcxtVenue = ConversionVenue & {
  readonly paper: boolean
  /**
   * Sells `amountIn` along `path`, hop by hop, refusing to start when the fresh quote is under
   * `minOutput` and reporting `slippage` when the fill ends under it. Hop `i` is sent with the
   * client order id `<clientOrderId>-<i>`, so a retried sale cannot place an order twice. Never
   * throws: exchange errors come back as failures.
   */
  sell(path: readonly Currency[], amountIn: Amount, minOutput: Amount, clientOrderId: string): Promise<CcxtSellResult>
  /**
   * What became of a sale placed before a restart, asked by its hops' client order ids, last
   * hop first: the last hop closed is `confirmed`, with what the first hop sold and the last one
   * bought (its fee estimated from the taker fee when the exchange reports none, as a live sale
   * does); an earlier hop closed with the next never placed, or a hop canceled, expired or
   * rejected, is `failed`; a hop still open is `pending`; no hop known to the exchange (its own
   * "order does not exist") is `not_found`. An exchange that does not answer (a network error,
   * a rate limit, maintenance, refused credentials) is `lookup_failed`. Never throws.
   */
  lookup(clientOrderId: string, path: readonly Currency[]): Promise<StepLookup>
}

type Step = { readonly rules: CcxtMarketRules; readonly side: 'buy' | 'sell' }
type PreparedStep = Step & { readonly book: OrderBookMarket }
type CachedBook = { readonly at: number; readonly book: Promise<OrderBookMarket> }

const BPS = 10_000n
// Binance's rule for newClientOrderId.
const CLIENT_ORDER_ID = /^[.A-Z:/a-z0-9_-]{1,36}$/

/**
 * The errors of an order placement that leave its fate unknown: no answer (a timeout, a dropped
 * connection), an answer that is not one (a garbled body, anything not ccxt's), or an answer
 * saying the exchange does not know either (Binance's 5xx, ccxt's OperationFailed: "the
 * execution status is UNKNOWN and could have been a success"). Any other error is the
 * exchange's refusal of the order: nothing of it traded.
 */
const PLACEMENT_STATUS_UNKNOWN: ReadonlySet<CcxtErrorClass['reason']> = new Set(['request_timeout', 'network_error', 'exchange_unavailable', 'operation_failed', 'bad_response', 'unexpected_error'])

function pairKey(from: Currency, to: Currency): string {
  return `${from.symbol}>${to.symbol}`
}

/** Converts an amount to the JS number ccxt's `createOrder` takes, refusing any that would not survive exactly. */
function orderSize(amount: Amount): number {
  const text = amount.toDecimalString()
  const value = Number(text)
  // biome-ignore format: the float-ok mark stays on the line it marks
  if (decimalFromNumber(value) !== text) { // float-ok: checks the number survives as its exact decimal text
    throw new InvalidAmountError(`${amount.toString()} cannot be sent to the exchange exactly as a number.`)
  }
  return value
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

/**
 * Creates a CEX venue over a ccxt exchange (Binance by default in the config).
 *
 * Markets come from `loadMarkets` once; order books are fetched per market and kept for
 * `bookTtlMs` by the clock, then walked by the domain's `quoteOrderBookSell` (market sells down
 * the bids) and `quoteOrderBookBuy` (market buys spending an exact quote amount up the asks),
 * with the taker fee, minimum notional and amount step of each market.
 */
export function createCcxtVenue(parameters: CreateCcxtVenueParameters): CcxtVenue {
  const { name, exchange, registry, clock, paper } = parameters
  const bookTtlMs = parameters.bookTtlMs ?? 2_000
  const maxPolls = parameters.maxPolls ?? 10
  const pollDelayMs = parameters.pollDelayMs ?? 500
  const allowed = parameters.markets === undefined ? undefined : new Set(parameters.markets)

  let rulesLoading: Promise<ReadonlyMap<string, CcxtMarketRules>> | undefined
  // ccxt keeps a failed load's promise; after a failure the next load must ask for a reload.
  let loadFailed = false
  const books = new Map<string, CachedBook>()

  const loadRules = (): Promise<ReadonlyMap<string, CcxtMarketRules>> => {
    rulesLoading ??= exchange.loadMarkets(loadFailed).then(
      (markets) => {
        loadFailed = false
        const rules = new Map<string, CcxtMarketRules>()
        for (const market of Object.values(markets)) {
          const parsed = market === undefined ? undefined : parseCcxtMarket(market, registry)
          if (parsed && (allowed === undefined || allowed.has(parsed.symbol))) rules.set(parsed.symbol, parsed)
        }
        return rules
      },
      (error: unknown) => {
        rulesLoading = undefined
        loadFailed = true
        throw error
      },
    )
    return rulesLoading
  }

  const findStep = (rules: ReadonlyMap<string, CcxtMarketRules>, from: Currency, to: Currency): Step | undefined => {
    for (const market of rules.values()) {
      if (isSameCurrency(market.base, from) && isSameCurrency(market.quote, to)) return { rules: market, side: 'sell' }
    }
    for (const market of rules.values()) {
      if (isSameCurrency(market.base, to) && isSameCurrency(market.quote, from)) return { rules: market, side: 'buy' }
    }
    return undefined
  }

  const fetchBook = (rules: CcxtMarketRules, fresh: boolean): Promise<OrderBookMarket> => {
    const now = clock.now()
    const cached = books.get(rules.symbol)
    if (!fresh && cached && now - cached.at < bookTtlMs) return cached.book
    const book = exchange.fetchOrderBook(rules.symbol).then((snapshot) => parseCcxtOrderBook(rules, snapshot))
    books.set(rules.symbol, { at: now, book })
    book.catch(() => {
      if (books.get(rules.symbol)?.book === book) books.delete(rules.symbol)
    })
    return book
  }

  /** Finds each hop's market and fetches its book, all books at once. */
  const prepare = async (path: readonly Currency[], fresh: boolean): Promise<Map<string, PreparedStep>> => {
    const rules = await loadRules()
    const steps = new Map<string, Step>()
    for (const [from, to] of splitPath(path)) {
      const step = findStep(rules, from, to)
      if (step) steps.set(pairKey(from, to), step)
    }
    const entries = await Promise.all([...steps].map(async ([key, step]) => [key, { ...step, book: await fetchBook(step.rules, fresh) }] as const))
    return new Map(entries)
  }

  const quoteHop =
    (prepared: ReadonlyMap<string, PreparedStep>) =>
    (from: Currency, to: Currency, amount: Amount): HopResult => {
      const step = prepared.get(pairKey(from, to))
      if (!step) return { ok: false, reason: 'no_route', detail: `${name} has no ${from.symbol}/${to.symbol} market.` }
      const fill = step.side === 'sell' ? quoteOrderBookSell(step.book, amount) : quoteOrderBookBuy(step.book, amount)
      if (!fill.ok) return { ok: false, reason: fill.reason, detail: `${step.rules.symbol} on ${name}: ${fill.detail}` }
      return {
        ok: true,
        residual: fill.residual,
        hop: {
          market: step.rules.symbol,
          amountIn: fill.amountIn,
          amountOut: fill.amountOut,
          fee: fill.fee,
          notional: fill.notional,
          minNotional: fill.minNotional,
        },
      }
    }

  const quoteAgainst = (prepared: ReadonlyMap<string, PreparedStep>, path: readonly Currency[], amountIn: Amount) => quotePath(name, path, amountIn, quoteHop(prepared), () => 0n)

  const venueError = (what: string, error: unknown): never => {
    const { retryable, reason } = classifyCcxtError(error)
    if (reason === 'unexpected_error') throw error
    throw new VenueError(name, `${name} could not ${what} (${reason}).`, { details: messageOf(error), cause: error, retryable })
  }

  /** Polls an order until it is final or the polls run out. */
  const settle = async (placed: CcxtOrderInput, symbol: string): Promise<CcxtOrderInput> => {
    let order = placed
    const id = placed.id
    for (let poll = 0; poll < maxPolls && !isFinalStatus(parseCcxtOrderStatus(order.status)); poll += 1) {
      if (id === undefined) throw new InvalidAmountError(`Expected an order id from ${symbol}, found none.`)
      await clock.sleep(pollDelayMs)
      order = await exchange.fetchOrder(id, symbol)
    }
    return order
  }

  /**
   * Reads the final order; Binance's order query carries no commissions, so the fees come from
   * the placement's fills when those cover the whole fill, else from the taker fee, rounded up.
   */
  const readFill = (placed: CcxtOrderInput, final: CcxtOrderInput, rules: CcxtMarketRules): { fill: CcxtFill; feeSource: CcxtHopFill['feeSource'] } => {
    const fill = parseCcxtOrder(final, rules, registry)
    if (fill.feeReported || fill.amountIn.isZero()) return { fill, feeSource: 'reported' }
    if (final !== placed) {
      const first = parseCcxtOrder(placed, rules, registry)
      if (first.feeReported && first.amountIn.equals(fill.amountIn)) {
        return { fill: parseCcxtOrder({ ...final, fee: placed.fee, fees: placed.fees }, rules, registry), feeSource: 'reported' }
      }
    }
    const gross = fill.amountOut
    const fee = gross.multiply(rules.takerFeeBps.divide(BPS), 'up')
    return { fill: { ...fill, amountOut: gross.subtract(fee), fee }, feeSource: 'estimated' }
  }

  const sell = async (path: readonly Currency[], amountIn: Amount, minOutput: Amount, clientOrderId: string): Promise<CcxtSellResult> => {
    const hops: CcxtHopFill[] = []
    const failed = (reason: ConversionFailureReason, detail: string, retryable = false): CcxtSellResult => ({ ok: false, reason, detail, retryable, hops: [...hops] })
    // Where the hop under way stands: once its order is sent, only the exchange knows what it did.
    let stage: 'placing' | 'settling' | undefined
    try {
      const target = path[path.length - 1]
      if (target && !isSameCurrency(minOutput.currency, target)) {
        throw new InvalidAmountError(`The floor of a sale to ${target.symbol} on ${name} must be in ${target.symbol}, found ${minOutput.toString()}.`)
      }
      const hopIds = path.slice(1).map((_, index) => `${clientOrderId}-${index}`)
      const badId = hopIds.find((id) => !CLIENT_ORDER_ID.test(id))
      if (!paper && badId !== undefined) {
        return failed('invalid_client_order_id', `A client order id on ${name} must be 1 to 36 letters, digits or ".:/_-", found "${badId}".`)
      }

      // A live sale quotes on fresh books; a paper sale fills on the books a quote just used.
      const prepared = await prepare(path, !paper)
      const quote = quoteAgainst(prepared, path, amountIn)
      if (!quote.ok) return failed(quote.reason, quote.detail)
      const small = quote.hops.find((hop) => hop.notional && hop.minNotional && hop.notional.lessThan(hop.minNotional))
      if (small) {
        return failed(
          'below_venue_minimum',
          `${small.market} on ${name} takes orders of at least ${small.minNotional?.toString()}, and this one is worth ${small.notional?.toString()}; nothing was sold.`,
        )
      }
      if (quote.amountOut.lessThan(minOutput)) {
        return failed('slippage', `${name} would give ${quote.amountOut.toString()}, under the floor of ${minOutput.toString()}; nothing was sold.`)
      }

      // The hops of the path, each with its market: the quote found them all.
      const legs: Array<{ readonly from: Currency; readonly to: Currency; readonly step: PreparedStep }> = []
      for (const [from, to] of splitPath(path)) {
        const step = prepared.get(pairKey(from, to))
        if (!step) return failed('no_route', `${name} has no ${from.symbol}/${to.symbol} market.`)
        legs.push({ from, to, step })
      }

      if (paper) {
        for (const [index, hop] of quote.hops.entries()) {
          const leg = legs[index]
          if (!leg) return failed('no_route', `${name} quoted ${quote.hops.length} hops for a path of ${legs.length}.`)
          hops.push({
            market: hop.market,
            side: leg.step.side,
            orderId: undefined,
            clientOrderId: undefined,
            amountIn: hop.amountIn,
            amountOut: hop.amountOut,
            fee: hop.fee,
            otherFees: [],
            unknownFees: [],
            feeSource: 'reported',
          })
        }
        return { ok: true, paper, amountIn: quote.amountIn, residual: quote.residual, amountOut: quote.amountOut, leftovers: quote.leftovers, hops }
      }

      const leftovers: Amount[] = []
      let amount = quote.amountIn
      for (const [index, { step }] of legs.entries()) {
        const hopId = `${clientOrderId}-${index}`
        // What an earlier hop bought is not stepped yet; the venue refuses a quantity off its LOT_SIZE step.
        const offered = step.side === 'sell' && step.rules.amountStep !== undefined ? amount.floorToStep(step.rules.amountStep) : amount
        if (offered.isZero()) {
          return failed('below_amount_step', `${step.rules.symbol} on ${name}: ${amount.toString()} rounds down to nothing at the amount step.`)
        }
        stage = 'placing'
        const placed =
          step.side === 'sell'
            ? await exchange.createOrder(step.rules.symbol, 'market', 'sell', orderSize(offered), undefined, { clientOrderId: hopId })
            : await exchange.createOrder(step.rules.symbol, 'market', 'buy', 0, undefined, {
                clientOrderId: hopId,
                quoteOrderQty: amount.toDecimalString(),
              })
        stage = 'settling'
        const final = await settle(placed, step.rules.symbol)
        const { fill, feeSource } = readFill(placed, final, step.rules)
        hops.push({
          market: step.rules.symbol,
          side: step.side,
          orderId: fill.id,
          clientOrderId: fill.clientOrderId ?? hopId,
          amountIn: fill.amountIn,
          amountOut: fill.amountOut,
          fee: fill.fee,
          otherFees: fill.otherFees,
          unknownFees: fill.unknownFees,
          feeSource,
        })
        if (fill.status === 'open') {
          return failed(
            OUTCOME_UNKNOWN,
            `Order ${fill.id} (${hopId}) on ${step.rules.symbol} at ${name} was still open after ${maxPolls} polls, having traded ${fill.amountIn.toString()} for ${fill.amountOut.toString()}; the exchange is asked again before anything is decided.`,
          )
        }
        stage = undefined
        if (fill.status !== 'closed') {
          return failed(
            `order_${fill.status}`,
            `Order ${fill.id} (${hopId}) on ${step.rules.symbol} at ${name} ended ${fill.status} after trading ${fill.amountIn.toString()} for ${fill.amountOut.toString()}.`,
          )
        }
        if (index > 0 && amount.greaterThan(fill.amountIn)) leftovers.push(amount.subtract(fill.amountIn))
        amount = fill.amountOut
      }
      const first = hops[0]
      if (!first) return failed('no_route', `A path needs at least two tokens, found ${path.length}.`)
      if (amount.lessThan(minOutput)) {
        return failed(
          'slippage',
          `${name} sold ${first.amountIn.toString()} for ${amount.toString()}, under the floor of ${minOutput.toString()} (the quote before sending was ${quote.amountOut.toString()}).`,
        )
      }
      return { ok: true, paper, amountIn: first.amountIn, residual: amountIn.subtract(first.amountIn), amountOut: amount, leftovers, hops }
    } catch (error) {
      const { retryable, reason } = classifyCcxtError(error)
      // An order sent without a clear answer may have traded: only the exchange's own refusal of
      // the placement (a rate limit, insufficient funds, an invalid order) says it did not.
      if (stage === 'settling' || (stage === 'placing' && PLACEMENT_STATUS_UNKNOWN.has(reason))) {
        return failed(
          OUTCOME_UNKNOWN,
          `${name} gave no answer about an order it was sent, after ${hops.length} completed hop${hops.length === 1 ? '' : 's'} (${reason}): ${messageOf(error)}; the exchange is asked again by its client order id before anything is decided.`,
        )
      }
      const what = hops.length > 0 ? `after ${hops.length} completed hop${hops.length === 1 ? '' : 's'}` : 'before any order traded'
      return failed(reason === 'unexpected_error' ? 'venue_error' : reason, `${name} failed ${what}: ${messageOf(error)}`, retryable)
    }
  }

  return {
    name,
    kind: 'cex',
    chain: parameters.chain,
    paper,
    async lookup(clientOrderId, path) {
      // A paper fill lives in this process only: after a restart nothing of it remains.
      if (paper)
        return { status: 'not_found', detail: `${name} is a paper venue: sale ${clientOrderId} filled in the memory of the process that made it, if at all; nothing of it outlives a restart.` }
      // Without the path there is no market to ask: that is no answer, never "no such order".
      if (path.length < 2) return { status: 'lookup_failed', error: `The sale ${clientOrderId} on ${name} has no path on record to find its markets by.` }
      try {
        const rules = await loadRules()
        const hops = splitPath(path).map(([from, to], hop) => ({ hop, id: `${clientOrderId}-${hop}`, step: findStep(rules, from, to) }))
        /** The order of a hop, and its market's rules; `undefined` when the exchange has no such order. */
        const fetchHop = async ({ id, step }: (typeof hops)[number]): Promise<{ order: CcxtOrderInput; rules: CcxtMarketRules } | undefined> => {
          if (!step) throw new InvalidAmountError(`${name} has no market between ${path.map((currency) => currency.symbol).join(' → ')}'s hops to ask order ${id} of.`)
          try {
            return { order: await exchange.fetchOrder('', step.rules.symbol, { origClientOrderId: id }), rules: step.rules }
          } catch (error) {
            if (classifyCcxtError(error).reason === 'order_not_found') return undefined
            throw error
          }
        }
        const [head] = hops
        const last = hops.length - 1
        for (const hop of [...hops].reverse()) {
          const index = hop.hop
          const found = await fetchHop(hop)
          if (!found) continue
          const { order, rules: hopRules } = found
          const status = parseCcxtOrderStatus(order.status)
          const where = `Order ${hop.id} on ${hopRules.symbol} at ${name}`
          if (status === 'open') return { status: 'pending', detail: `${where} is still open.` }
          if (status !== 'closed') return { status: 'failed', reason: `order_${status}`, detail: `${where} ended ${status}, as the exchange answered after a restart.` }
          if (index < last) {
            return { status: 'failed', reason: 'sale_incomplete', detail: `${where} closed, and the next hop's order was never placed: the sale stopped halfway, holding ${path[index + 1]?.symbol}.` }
          }
          const final = readFill(order, order, hopRules).fill
          const first = index === 0 || !head ? final : await fetchHop(head).then((placed) => placed && readFill(placed.order, placed.order, placed.rules).fill)
          return {
            status: 'confirmed',
            // The exchange's order ids where they were read, as a live sale's receipt names them; a middle hop's client order id.
            receipt: { kind: 'market_sell', venue: name, reference: hops.map((each, at) => (at === index ? final.id : at === 0 ? (first?.id ?? each.id) : each.id)).join(',') },
            amountIn: first?.amountIn,
            amountOut: final.amountOut,
          }
        }
        return { status: 'not_found', detail: `${name} has no order ${hops.map((hop) => hop.id).join(' nor ')}: the sale was never placed.` }
      } catch (error) {
        const { reason } = classifyCcxtError(error)
        return { status: 'lookup_failed', error: `${name} did not answer about sale ${clientOrderId} (${reason}): ${redactUrls(messageOf(error)).slice(0, 300)}` }
      }
    },
    async tradablePairs() {
      const rules = await loadRules().catch((error: unknown) => venueError('load its markets', error))
      return [...rules.values()].map((market) => [market.base, market.quote] as const)
    },
    async quote(path: readonly Currency[], amountIn: Amount): Promise<RouteQuote | RouteQuoteFailure> {
      const prepared = await prepare(path, false).catch((error: unknown) => venueError('fetch its order books', error))
      return quoteAgainst(prepared, path, amountIn)
    },
    sell,
  }
}
