import { type Amount, Fraction } from '../money/index.js'

/** Scale of the volatilities below: 10^18 stands for 1 (100% per hour). */
export const VOLATILITY_SCALE = 10n ** 18n

/** The integer square root of a non-negative bigint, rounded down (Newton's method). */
export function isqrt(value: bigint): bigint {
  if (value < 0n) throw new RangeError(`No square root of the negative ${value}.`)
  if (value < 2n) return value
  // Start above the root (2^⌈bits/2⌉); from above, Newton's steps fall monotonically onto it.
  let x = 1n << BigInt(Math.ceil(value.toString(2).length / 2))
  for (;;) {
    const next = (x + value / x) >> 1n
    if (next >= x) return x
    x = next
  }
}

/** The integer square root of a non-negative bigint, rounded up, for figures of risk. */
export function isqrtUp(value: bigint): bigint {
  const root = isqrt(value)
  return root * root === value ? root : root + 1n
}

/**
 * Per hour, the sample standard deviation of the last `window` hourly returns of `prices` up to
 * that hour (`p[t] / p[t − 1] − 1`), scaled by `VOLATILITY_SCALE` and rounded up, so that the risk
 * of holding is not understated beyond the returns' own rounding (under 10^-18 per hour). An hour
 * with fewer than two returns behind it gets 0. Integer arithmetic throughout: returns round down
 * to 10^-18, the variance up, and sums are exact. Throws `RangeError` for a price of zero or less.
 */
export function trailingVolatility(prices: readonly Fraction[], window: number): bigint[] {
  if (!Number.isInteger(window) || window < 2) throw new RangeError(`The volatility window must be a whole number of at least 2 hours, found ${window}.`)
  const out = new Array<bigint>(prices.length).fill(0n)
  const returns: bigint[] = []
  let sum = 0n
  let sumSquares = 0n
  prices.forEach((price, index) => {
    if (price.numerator <= 0n) throw new RangeError(`Volatility needs positive prices; price ${index} is ${price.toSignificant(6)}.`)
  })
  let before: Fraction | undefined
  for (const [index, now] of prices.entries()) {
    const previous = before
    before = now
    if (previous === undefined) continue
    const scaled = (now.numerator * previous.denominator * VOLATILITY_SCALE) / (now.denominator * previous.numerator) - VOLATILITY_SCALE
    returns.push(scaled)
    sum += scaled
    sumSquares += scaled * scaled
    // The return that has just left the window, once there are more than `window`.
    const dropped = returns.length > window ? returns[returns.length - window - 1] : undefined
    if (dropped !== undefined) {
      sum -= dropped
      sumSquares -= dropped * dropped
    }
    const n = BigInt(Math.min(returns.length, window))
    if (n < 2n) continue
    // Σ(r − mean)² = Σr² − (Σr)²/n, kept exact by scaling with n.
    const spread = sumSquares * n - sum * sum
    const divisor = n * (n - 1n)
    out[index] = isqrtUp((spread + divisor - 1n) / divisor)
  }
  return out
}

/**
 * The cost of holding `value` of a token for `horizonHours`: `multiplier` standard deviations of
 * its move over the horizon, `value × σ_hour × √horizon × multiplier`, rounded up: a risk is
 * never understated.
 */
export function holdingRisk(value: Amount, hourlyVolatility: bigint, horizonHours: number, multiplier: Fraction): Amount {
  // σ over the horizon: √(σ² × hours), at the same scale.
  const horizon = isqrtUp(hourlyVolatility * hourlyVolatility * BigInt(horizonHours))
  return value.multiply(new Fraction(horizon, VOLATILITY_SCALE).multiply(multiplier), 'up')
}
