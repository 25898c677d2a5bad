import { type Address, type Hex, concat, numberToHex } from 'viem'
import { Fraction } from '../../domain/money/index.js'

const Q96 = 2n ** 96n
const Q192 = Q96 * Q96

/** The integer square root, rounded down. */
export function sqrtFloor(value: bigint): bigint {
  if (value < 0n) throw new RangeError(`No square root of the negative ${value}.`)
  if (value < 2n) return value
  // Newton's method from a start above the root decreases monotonically to the floor of the root.
  let x = 1n << (BigInt(value.toString(2).length + 1) / 2n)
  for (;;) {
    const y = (x + value / x) >> 1n
    if (y >= x) return x
    x = y
  }
}

/** `sqrtPriceX96` of a pool whose price is `ratio` token1 base units per token0 base unit, rounded down. */
export function sqrtPriceX96FromRatio(ratio: Fraction): bigint {
  return sqrtFloor((ratio.numerator * Q192) / ratio.denominator)
}

/** The exact price of `slot0.sqrtPriceX96`: token1 base units per token0 base unit. */
export function ratioFromSqrtPriceX96(sqrtPriceX96: bigint): Fraction {
  return new Fraction(sqrtPriceX96 * sqrtPriceX96, Q192)
}

/** Uniswap V3's tick bounds. */
export const MIN_TICK = -887_272
export const MAX_TICK = 887_272

/**
 * The tick nearest under a price, on a spacing. Ticks only place liquidity ranges (never an
 * amount), so a float logarithm is precise enough here.
 */
export function tickAtRatio(ratio: Fraction, spacing: number): number {
  const tick = Math.floor(Math.log(Number(ratio.numerator) / Number(ratio.denominator)) / Math.log(1.0001))
  const spaced = Math.floor(tick / spacing) * spacing
  return Math.min(Math.max(spaced, Math.ceil(MIN_TICK / spacing) * spacing), Math.floor(MAX_TICK / spacing) * spacing)
}

/** Encodes a V3 path: token, fee (uint24), token, fee, ..., token. */
export function encodeV3Path(tokens: readonly Address[], fees: readonly number[]): Hex {
  if (tokens.length !== fees.length + 1) throw new Error(`A V3 path of ${tokens.length} tokens needs ${tokens.length - 1} fees, found ${fees.length}.`)
  const parts: Hex[] = []
  tokens.forEach((token, index) => {
    parts.push(token)
    const fee = fees[index]
    if (fee !== undefined) parts.push(numberToHex(fee, { size: 3 }))
  })
  return concat(parts)
}
