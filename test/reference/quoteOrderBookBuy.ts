// Frozen reference copy of src (commit 1412531), the oracle of the fast planner's property test and bench; never imported by src.
import { CurrencyMismatchError, InvalidAmountError } from '../../src/errors/index.js'
import { Amount, Fraction, isSameCurrency } from '../../src/domain/money/index.js'
import type { OrderBookFailure, OrderBookFill, OrderBookLevel, OrderBookMarket } from '../../src/domain/planning/orderBook.js'

export type QuoteOrderBookBuyReturnType = OrderBookFill | OrderBookFailure

const BPS = 10_000n

/** Exact quote cost of the first `size` base units of the asks, and how many levels they touch. */
function costOfCheapest(asks: readonly OrderBookLevel[], size: bigint): { cost: Fraction; levelsUsed: number } {
  let remaining = size
  let cost = Fraction.ZERO
  let levelsUsed = 0
  for (const level of asks) {
    if (remaining === 0n) break
    if (level.size === 0n) continue
    // biome-ignore lint/complexity/useMathMinMax: bigint base units, which Math.min does not take
    const taken = remaining < level.size ? remaining : level.size
    cost = cost.add(level.price.multiply(taken)).reduce()
    remaining -= taken
    levelsUsed += 1
  }
  return { cost, levelsUsed }
}

/**
 * Quotes a market buy that spends `amountIn` of the market's quote (Binance's `quoteOrderQty`)
 * against the asks, best first.
 *
 * At a level taken in part, the base bought is floored to base units; the total is then floored
 * to the amount step. `amountIn` in the answer is what the stepped amount really costs, rounded
 * up, and the quote left over is the `residual`. The taker fee is charged in the base received
 * and rounds up. The venue minimum is reported and not enforced, since the planner holds the
 * notional against it with a safety buffer.
 */
export function quoteOrderBookBuy(market: OrderBookMarket, amountIn: Amount): QuoteOrderBookBuyReturnType {
  if (!isSameCurrency(amountIn.currency, market.quote)) {
    throw new CurrencyMismatchError(`buy on ${market.symbol}`, market.quote.symbol, amountIn.currency.symbol)
  }
  if (amountIn.isNegative()) {
    throw new InvalidAmountError(`The amount to spend on ${market.symbol} must be at least zero, found ${amountIn.toString()}.`)
  }
  if (market.takerFeeBps.isNegative() || market.takerFeeBps.greaterThan(new Fraction(BPS))) {
    throw new InvalidAmountError(`The taker fee of ${market.symbol} must be between 0 and 10000 bps, found ${market.takerFeeBps.toSignificant(8)}.`)
  }

  let left = new Fraction(amountIn.raw)
  let bought = 0n
  let depth = 0n
  let filled = amountIn.isZero()
  for (const level of market.asks) {
    if (level.size < 0n || level.price.numerator <= 0n) {
      throw new InvalidAmountError(`Every ask of ${market.symbol} must have a positive price and a size of at least zero, found price ${level.price.toSignificant(8)} and size ${level.size}.`)
    }
    depth += level.size
    if (filled || level.size === 0n) continue
    const cost = level.price.multiply(level.size)
    if (cost.compare(left) <= 0) {
      bought += level.size
      left = left.subtract(cost).reduce()
      filled = left.isZero()
    } else {
      bought += left.divide(level.price).toBigInt('down')
      filled = true
    }
  }
  if (!filled) {
    const spendable = new Fraction(amountIn.raw).subtract(left).toBigInt('up')
    return {
      ok: false,
      reason: 'insufficient_liquidity',
      detail: `The asks of ${market.symbol} sell ${Amount.fromRaw(market.base, depth).toString()} for ${Amount.fromRaw(market.quote, spendable).toString()} in all, less than the ${amountIn.toString()} to spend.`,
    }
  }

  const step = market.amountStep
  const received = step === undefined ? Amount.fromRaw(market.base, bought) : Amount.fromRaw(market.base, bought).floorToStep(step)
  if (received.isZero()) {
    const detail =
      step === undefined
        ? `Spending ${amountIn.toString()} on ${market.symbol} buys less than one base unit of ${market.base.symbol}.`
        : `Spending ${amountIn.toString()} on ${market.symbol} buys ${Amount.fromRaw(market.base, bought).toString()}, which the amount step of ${Amount.fromRaw(market.base, step).toString()} rounds down to nothing.`
    return { ok: false, reason: 'below_amount_step', detail }
  }

  // The step drops the dearest units, so what is spent is the cost of the cheapest `received`.
  const { cost, levelsUsed } = costOfCheapest(market.asks, received.raw)
  const spent = Amount.fromRaw(market.quote, cost.toBigInt('up'))
  const fee = received.multiply(market.takerFeeBps.divide(BPS), 'up')
  return {
    ok: true,
    amountIn: spent,
    residual: amountIn.subtract(spent),
    amountOut: received.subtract(fee),
    fee,
    notional: spent,
    minNotional: market.minNotional,
    levelsUsed,
    averagePrice: cost.divide(received.raw).reduce(),
  }
}
