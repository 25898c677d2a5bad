import { CurrencyMismatchError, InvalidAmountError } from '../../errors/index.js'
import { Amount, isSameCurrency } from '../money/index.js'
import type { OrderBookFailure, OrderBookFill, OrderBookMarket } from './orderBook.js'

/** A sell's fill without its average price, and its exact proceeds before fees. */
export type BidsFill = Omit<OrderBookFill, 'averagePrice'> & {
  /** Proceeds in quote base units: `proceedsNumerator / proceedsDenominator`, exact and unreduced. */
  readonly proceedsNumerator: bigint
  readonly proceedsDenominator: bigint
}

export type SellIntoBidsReturnType = BidsFill | OrderBookFailure

const BPS = 10_000n

/**
 * Sells `amountIn` (in the market's base) into the bids, best first: `quoteOrderBookSell`'s
 * fill, with its exact proceeds (quote base units, a numerator over a denominator) in place of
 * the average price. A planner that quotes by the thousand and never reads the average price
 * calls this, which makes no getter.
 *
 * The amount is first rounded down to the amount step, the remainder being the `residual`.
 * Proceeds are summed exactly, then floored to quote base units; the taker fee, taken from
 * the proceeds, rounds up. The venue minimum is reported and not enforced, since the planner
 * holds the notional against it with a safety buffer.
 */
export function sellIntoBids(market: OrderBookMarket, amountIn: Amount): SellIntoBidsReturnType {
  if (!isSameCurrency(amountIn.currency, market.base)) {
    throw new CurrencyMismatchError(`sell on ${market.symbol}`, market.base.symbol, amountIn.currency.symbol)
  }
  if (amountIn.isNegative()) {
    throw new InvalidAmountError(`The amount to sell on ${market.symbol} must be at least zero, found ${amountIn.toString()}.`)
  }
  const { numerator: feeNumerator, denominator: feeDenominator } = market.takerFeeBps
  if (feeNumerator < 0n || feeNumerator > BPS * feeDenominator) {
    throw new InvalidAmountError(`The taker fee of ${market.symbol} must be between 0 and 10000 bps, found ${market.takerFeeBps.toSignificant(8)}.`)
  }

  const step = market.amountStep
  // The amount is at least zero, so a bigint quotient is the floor; a step that is not positive is refused by floorToStep.
  const sold = step === undefined ? amountIn : step > 0n ? Amount.fromRaw(amountIn.currency, (amountIn.raw / step) * step) : amountIn.floorToStep(step)
  const residual = amountIn.subtract(sold)
  if (sold.isZero()) {
    return {
      ok: false,
      reason: 'below_amount_step',
      detail: `Rounding ${amountIn.toString()} down to the amount step of ${Amount.fromRaw(market.base, step ?? 1n).toString()} on ${market.symbol} leaves nothing to sell.`,
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
  // The fee rounds up: gross and fee are at least zero, so the ceiling is one bigint division.
  const feeDivisor = feeDenominator * BPS
  const fee = Amount.fromRaw(market.quote, (gross.raw * feeNumerator + feeDivisor - 1n) / feeDivisor)
  return {
    ok: true,
    amountIn: sold,
    residual,
    amountOut: gross.subtract(fee),
    fee,
    notional: gross,
    minNotional: market.minNotional,
    levelsUsed,
    proceedsNumerator,
    proceedsDenominator,
  }
}
