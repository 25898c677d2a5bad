import { InvalidAmountError } from '../../errors/index.js'
import { Amount, type Currency, Fraction } from '../money/index.js'

/** One price level: `price` = quote base units per base base unit (exact), `size` = base base units. */
export type OrderBookLevel = { readonly price: Fraction; readonly size: bigint }

/** Is one market of a central limit order book, as a snapshot of its depth and its trading rules. */
export type OrderBookMarket = {
  /** `EIGEN/USDT`. */
  readonly symbol: string
  readonly base: Currency
  readonly quote: Currency
  /** Best (highest) first. */
  readonly bids: readonly OrderBookLevel[]
  /** Best (lowest) first. */
  readonly asks: readonly OrderBookLevel[]
  /** Taker fee in basis points: 10 for 0.1 %. */
  readonly takerFeeBps: Fraction
  /** Least order value the venue accepts, in the quote currency. */
  readonly minNotional: Amount
  /** Base base units; an order's base amount must be a multiple of it. */
  readonly amountStep: bigint | undefined
}

/** Is what a market order would trade against a book snapshot. */
export type OrderBookFill = {
  readonly ok: true
  /** What is really traded: for a sell the base sold, for a buy the quote spent. */
  readonly amountIn: Amount
  /** What the request leaves untraded, in the currency of `amountIn`. */
  readonly residual: Amount
  /** What arrives after the taker fee. */
  readonly amountOut: Amount
  /** The taker fee, in the output currency. */
  readonly fee: Amount
  /** Order value in the market's quote currency, to hold against `minNotional`. */
  readonly notional: Amount
  readonly minNotional: Amount
  /** How many price levels the order touches. */
  readonly levelsUsed: number
  /** Volume-weighted price before fees, exact, in quote base units per base base unit. */
  readonly averagePrice: Fraction
}

/** Is a book's reason not to fill an order. */
export type OrderBookFailure = {
  readonly ok: false
  readonly reason: 'insufficient_liquidity' | 'below_amount_step'
  /** A full sentence with the figures. */
  readonly detail: string
}

/**
 * Creates a price level from human decimals: `price` in whole quote tokens per whole base
 * token, `size` in whole base tokens. Both must be positive, and `size` must fit the base
 * currency's decimals.
 */
export function createOrderBookLevel(base: Currency, quote: Currency, price: string, size: string): OrderBookLevel {
  const perToken = Fraction.fromDecimalString(price)
  if (perToken.numerator <= 0n) {
    throw new InvalidAmountError(`An order book price must be positive, found "${price}" ${quote.symbol} per ${base.symbol}.`)
  }
  const raw = Amount.parse(base, size).raw
  if (raw <= 0n) throw new InvalidAmountError(`An order book level size must be positive, found "${size}" ${base.symbol}.`)
  // Same conversion as Price.fromTokens, without a price origin that a book level has no use for.
  const ratio = perToken
    .multiply(10n ** BigInt(quote.decimals))
    .divide(10n ** BigInt(base.decimals))
    .reduce()
  return { price: ratio, size: raw }
}
