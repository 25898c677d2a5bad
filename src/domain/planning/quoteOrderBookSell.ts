import { CurrencyMismatchError, InvalidAmountError } from '../../errors/index.js'
import { Amount, Fraction, isSameCurrency } from '../money/index.js'
import type { OrderBookFailure, OrderBookFill, OrderBookMarket } from './orderBook.js'

export type { OrderBookFailure, OrderBookFill } from './orderBook.js'

export type QuoteOrderBookSellReturnType = OrderBookFill | OrderBookFailure

const BPS = 10_000n

/**
 * Quotes a market sell of `amountIn` (in the market's base) against the bids, best first.
 *
 * The amount is first rounded down to the amount step, the remainder being the `residual`.
 * Proceeds are summed exactly, then floored to quote base units; the taker fee, taken from
 * the proceeds, rounds up. The venue minimum is reported and not enforced, since the planner
 * holds the notional against it with a safety buffer.
 */
export function quoteOrderBookSell(market: OrderBookMarket, amountIn: Amount): QuoteOrderBookSellReturnType {
  if (!isSameCurrency(amountIn.currency, market.base)) {
    throw new CurrencyMismatchError(`sell on ${market.symbol}`, market.base.symbol, amountIn.currency.symbol)
  }
  if (amountIn.isNegative()) {
    throw new InvalidAmountError(`The amount to sell on ${market.symbol} must be at least zero, found ${amountIn.toString()}.`)
  }
  if (market.takerFeeBps.isNegative() || market.takerFeeBps.greaterThan(new Fraction(BPS))) {
    throw new InvalidAmountError(`The taker fee of ${market.symbol} must be between 0 and 10000 bps, found ${market.takerFeeBps.toSignificant(8)}.`)
  }

  const sold = market.amountStep === undefined ? amountIn : amountIn.floorToStep(market.amountStep)
  const residual = amountIn.subtract(sold)
  if (sold.isZero()) {
    const step = Amount.fromRaw(market.base, market.amountStep ?? 1n)
    return {
      ok: false,
      reason: 'below_amount_step',
      detail: `Rounding ${amountIn.toString()} down to the amount step of ${step.toString()} on ${market.symbol} leaves nothing to sell.`,
    }
  }

  let remaining = sold.raw
  // Proceeds, exact, as a numerator over a common denominator: book prices are decimals, so
  // one denominator usually divides the other, and no gcd is taken until the end.
  let proceedsNumerator = 0n
  let proceedsDenominator = 1n
  let depth = 0n
  let levelsUsed = 0
  for (const level of market.bids) {
    if (level.size < 0n || level.price.numerator <= 0n) {
      throw new InvalidAmountError(`Every bid of ${market.symbol} must have a positive price and a size of at least zero, found price ${level.price.toSignificant(8)} and size ${level.size}.`)
    }
    depth += level.size
    if (remaining === 0n || level.size === 0n) continue
    // biome-ignore lint/complexity/useMathMinMax: bigint base units, which Math.min does not take
    const taken = remaining < level.size ? remaining : level.size
    const { numerator, denominator } = level.price
    if (proceedsDenominator % denominator === 0n) {
      proceedsNumerator += numerator * taken * (proceedsDenominator / denominator)
    } else if (denominator % proceedsDenominator === 0n) {
      proceedsNumerator = proceedsNumerator * (denominator / proceedsDenominator) + numerator * taken
      proceedsDenominator = denominator
    } else {
      proceedsNumerator = proceedsNumerator * denominator + numerator * taken * proceedsDenominator
      proceedsDenominator *= denominator
    }
    remaining -= taken
    levelsUsed += 1
  }
  if (remaining > 0n) {
    return {
      ok: false,
      reason: 'insufficient_liquidity',
      detail: `The bids of ${market.symbol} hold ${Amount.fromRaw(market.base, depth).toString()} in all, less than the ${sold.toString()} to sell.`,
    }
  }

  // Proceeds are positive, so bigint division is the floor.
  const gross = Amount.fromRaw(market.quote, proceedsNumerator / proceedsDenominator)
  const fee = gross.multiply(market.takerFeeBps.divide(BPS), 'up')
  return {
    ok: true,
    amountIn: sold,
    residual,
    amountOut: gross.subtract(fee),
    fee,
    notional: gross,
    minNotional: market.minNotional,
    levelsUsed,
    // Reduced only when read: route planning never reads it, and a gcd of bigints is dear.
    get averagePrice() {
      return new Fraction(proceedsNumerator, proceedsDenominator * sold.raw).reduce()
    },
  }
}
