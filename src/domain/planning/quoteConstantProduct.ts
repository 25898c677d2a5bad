import { CurrencyMismatchError, InvalidAmountError } from '../../errors/index.js'
import { Amount, type Currency, type Fraction, isSameCurrency } from '../money/index.js'

/** Is a Uniswap V2 style pool: two reserves whose product a swap may not lower. */
export type ConstantProductPool = {
  /** `uniswap_v2:EIGEN/WETH`. */
  readonly name: string
  readonly token0: Currency
  readonly token1: Currency
  /** Base units of `token0`. */
  readonly reserve0: bigint
  /** Base units of `token1`. */
  readonly reserve1: bigint
  /** Swap fee in basis points, taken from the input: 30 for Uniswap V2. */
  readonly feeBps: Fraction
}

/** Is what a swap through a pool gives. */
export type ConstantProductQuote = {
  readonly ok: true
  readonly amountIn: Amount
  readonly amountOut: Amount
  /** The pool's fee, in the input currency, rounded up. */
  readonly fee: Amount
  /** Reserves before the swap. */
  readonly reserveIn: bigint
  readonly reserveOut: bigint
}

/** Is a pool's reason not to quote a swap. */
export type ConstantProductFailure = {
  readonly ok: false
  readonly reason: 'insufficient_liquidity' | 'unknown_token'
  /** A full sentence with the figures. */
  readonly detail: string
}

export type QuoteConstantProductReturnType = ConstantProductQuote | ConstantProductFailure

const BPS = 10_000n

type Side = { reserveIn: bigint; reserveOut: bigint; tokenOut: Currency; inIsToken0: boolean }

function sideOf(pool: ConstantProductPool, token: Currency): Side | undefined {
  if (isSameCurrency(token, pool.token0)) return { reserveIn: pool.reserve0, reserveOut: pool.reserve1, tokenOut: pool.token1, inIsToken0: true }
  if (isSameCurrency(token, pool.token1)) return { reserveIn: pool.reserve1, reserveOut: pool.reserve0, tokenOut: pool.token0, inIsToken0: false }
  return undefined
}

/** Writes a pool's reserves, for a failure's detail only: a quote that succeeds never formats them. */
function describeReserves(tokenIn: Currency, reserveIn: bigint, tokenOut: Currency, reserveOut: bigint): string {
  return `${Amount.fromRaw(tokenIn, reserveIn).toString()} and ${Amount.fromRaw(tokenOut, reserveOut).toString()}`
}

/**
 * Quotes a swap of `amountIn` through a constant-product pool with Uniswap V2's exact formula:
 * `out = floor(in × (10000 − fee) × reserveOut / (reserveIn × 10000 + in × (10000 − fee)))`.
 * With a 30 bps fee this is V2's `getAmountOut` to the base unit.
 */
export function quoteConstantProduct(pool: ConstantProductPool, amountIn: Amount): QuoteConstantProductReturnType {
  if (amountIn.isNegative()) {
    throw new InvalidAmountError(`The amount to swap through ${pool.name} must be at least zero, found ${amountIn.toString()}.`)
  }
  const { numerator: feeNumerator, denominator: feeDenominator } = pool.feeBps
  if (feeNumerator < 0n || feeNumerator > BPS * feeDenominator) {
    throw new InvalidAmountError(`The fee of ${pool.name} must be between 0 and 10000 bps, found ${pool.feeBps.toSignificant(8)}.`)
  }
  const side = sideOf(pool, amountIn.currency)
  if (!side) {
    return {
      ok: false,
      reason: 'unknown_token',
      detail: `${pool.name} trades ${pool.token0.symbol} and ${pool.token1.symbol}, not ${amountIn.currency.symbol}.`,
    }
  }
  const { reserveIn, reserveOut, tokenOut } = side
  if (reserveIn <= 0n || reserveOut <= 0n) {
    return { ok: false, reason: 'insufficient_liquidity', detail: `${pool.name} holds ${describeReserves(amountIn.currency, reserveIn, tokenOut, reserveOut)}, so it cannot swap.` }
  }

  // The formula with the fee n/d over a common denominator d, in bigints: floor of a positive
  // quotient, exactly as the fraction `in × (10000 − fee) × reserveOut / (...)` rounds down.
  const inWithFee = (BPS * feeDenominator - feeNumerator) * amountIn.raw
  const out = (inWithFee * reserveOut) / (inWithFee + reserveIn * BPS * feeDenominator)
  if (out === 0n) {
    return {
      ok: false,
      reason: 'insufficient_liquidity',
      detail: `Swapping ${amountIn.toString()} through ${pool.name}, which holds ${describeReserves(amountIn.currency, reserveIn, tokenOut, reserveOut)}, gives less than one base unit of ${tokenOut.symbol}.`,
    }
  }
  return {
    ok: true,
    amountIn,
    amountOut: Amount.fromRaw(tokenOut, out),
    // Rounded up: the input and the fee are at least zero, so the ceiling is one bigint division.
    fee: Amount.fromRaw(amountIn.currency, (amountIn.raw * feeNumerator + BPS * feeDenominator - 1n) / (BPS * feeDenominator)),
    reserveIn,
    reserveOut,
  }
}

/**
 * Returns the pool after a swap of `amountIn` for `amountOut`: the whole input, fee included,
 * joins its reserve, as in Uniswap V2. Throws when `amountOut` is more than the pool would give
 * for `amountIn`, since such a swap would lower the reserves' product.
 */
export function applyConstantProductSwap(pool: ConstantProductPool, amountIn: Amount, amountOut: Amount): ConstantProductPool {
  const side = sideOf(pool, amountIn.currency)
  if (!side) {
    throw new CurrencyMismatchError(`swap through ${pool.name}`, `${pool.token0.symbol} or ${pool.token1.symbol}`, amountIn.currency.symbol)
  }
  if (!isSameCurrency(amountOut.currency, side.tokenOut)) {
    throw new CurrencyMismatchError(`take the output of ${pool.name}`, side.tokenOut.symbol, amountOut.currency.symbol)
  }
  if (amountOut.isNegative()) {
    throw new InvalidAmountError(`The output of a swap through ${pool.name} must be at least zero, found ${amountOut.toString()}.`)
  }
  const quote = quoteConstantProduct(pool, amountIn)
  const most = quote.ok ? quote.amountOut : Amount.zero(side.tokenOut)
  if (amountOut.greaterThan(most)) {
    throw new InvalidAmountError(`Swapping ${amountIn.toString()} through ${pool.name} gives at most ${most.toString()}, found ${amountOut.toString()}.`)
  }
  const reserveIn = side.reserveIn + amountIn.raw
  const reserveOut = side.reserveOut - amountOut.raw
  return side.inIsToken0 ? { ...pool, reserve0: reserveIn, reserve1: reserveOut } : { ...pool, reserve1: reserveIn, reserve0: reserveOut }
}
