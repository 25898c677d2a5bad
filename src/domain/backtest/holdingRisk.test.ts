import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { Amount, Fraction, createCurrency } from '../money/index.js'
import { VOLATILITY_SCALE, holdingRisk, isqrt, isqrtUp, trailingVolatility } from './holdingRisk.js'

const USDT = createCurrency({ symbol: 'USDT', decimals: 6, chain: 'ethereum' })
const f = (text: string) => Fraction.fromDecimalString(text)

// √2 = 1.41421356237309504880168872…, √0.005 = √2 / 20 = 0.07071067811865475244008443…
const SQRT_0_02 = 141_421_356_237_309_504n // ⌊√0.02 × 10^18⌋ = ⌊√2 × 10^17⌋
const SQRT_0_005 = 70_710_678_118_654_752n // ⌊√0.005 × 10^18⌋ = ⌊√2 × 10^18 / 20⌋
// Volatility rounds up, so that the risk of holding is never understated: one above each floor.
const SIGMA_0_02 = SQRT_0_02 + 1n
const SIGMA_0_005 = SQRT_0_005 + 1n

describe('isqrt', () => {
  it.each([
    [0n, 0n],
    [1n, 1n],
    [2n, 1n],
    [3n, 1n],
    [4n, 2n],
    [8n, 2n],
    [9n, 3n],
    [15n, 3n],
    [16n, 4n],
    [17n, 4n],
    [99n, 9n],
    [100n, 10n],
    [10n ** 36n, 10n ** 18n],
    [10n ** 36n - 1n, 10n ** 18n - 1n],
    [10n ** 36n + 2n * 10n ** 18n, 10n ** 18n], // (10^18 + 1)² − 1
    [(10n ** 18n + 1n) ** 2n, 10n ** 18n + 1n],
    [2n * 10n ** 34n, SQRT_0_02],
    [2n ** 256n - 1n, 2n ** 128n - 1n],
    [2n ** 256n, 2n ** 128n],
  ])('isqrt(%i) is %i', (value, root) => {
    expect(isqrt(value)).toBe(root)
  })

  it('finds the root rounded down: r² ≤ n < (r + 1)² for every n up to 2^256', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 256n }), (value) => {
        const root = isqrt(value)
        expect(root >= 0n).toBe(true)
        expect(root * root <= value).toBe(true)
        expect(value < (root + 1n) * (root + 1n)).toBe(true)
      }),
    )
  })

  it('gives back k for k² and for k² + 2k, and k + 1 for (k + 1)²', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 128n }), (k) => {
        expect(isqrt(k * k)).toBe(k)
        expect(isqrt(k * k + 2n * k)).toBe(k)
        expect(isqrt((k + 1n) * (k + 1n))).toBe(k + 1n)
      }),
    )
  })

  it('rounds up with isqrtUp: (r − 1)² < n ≤ r², and k for k²', () => {
    expect([0n, 1n, 2n, 4n, 5n, 9n, 10n].map(isqrtUp)).toEqual([0n, 1n, 2n, 2n, 3n, 3n, 4n])
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 256n }), (value) => {
        const root = isqrtUp(value)
        expect(root * root >= value).toBe(true)
        expect(root === 0n || (root - 1n) * (root - 1n) < value).toBe(true)
      }),
    )
  })

  it('throws a RangeError for a negative input', () => {
    expect(() => isqrtUp(-1n)).toThrow(RangeError)
    expect(() => isqrt(-1n)).toThrow(RangeError)
    expect(() => isqrt(-(10n ** 40n))).toThrow(RangeError)
    expect(() => isqrt(-1n)).toThrow('negative -1')
  })
})

/** The hourly return p[k] / p[k − 1] − 1, rounded down to 10^-18 and scaled by 10^18 (the documented rounding). */
function scaledReturn(now: Fraction, before: Fraction): bigint {
  return now.divide(before).multiply(VOLATILITY_SCALE).toBigInt('down') - VOLATILITY_SCALE
}

/**
 * The sample variance of the last `window` returns up to each hour, exact, with the two-pass
 * textbook formula Σ(r − mean)² / (n − 1): independent of the rolling sums of the source.
 */
function naiveVariances(prices: readonly Fraction[], window: number): Fraction[] {
  const returns = prices.map((price, index) => (index === 0 ? 0n : scaledReturn(price, prices[index - 1] as Fraction)))
  return prices.map((_, index) => {
    const last = returns.slice(Math.max(1, index - window + 1), index + 1)
    if (last.length < 2) return Fraction.ZERO
    const n = BigInt(last.length)
    const mean = new Fraction(
      last.reduce((sum, r) => sum + r, 0n),
      n,
    )
    const squares = last.reduce((sum, r) => {
      const deviation = new Fraction(r).subtract(mean)
      return sum.add(deviation.multiply(deviation))
    }, Fraction.ZERO)
    return squares.divide(n - 1n)
  })
}

describe('trailingVolatility', () => {
  // 100 → 110 → 99 → 99: returns +0.1, −0.1 and 0, each exact at 18 decimals.
  const prices = ['100', '110', '99', '99'].map(f)

  it('gives 0 to hours with fewer than two returns, then the sample standard deviation scaled by 10^18, rounded up', () => {
    const out = trailingVolatility(prices, 3)
    expect(out).toHaveLength(4)
    expect(out[0]).toBe(0n) // no return yet
    expect(out[1]).toBe(0n) // one return (+0.1)
    // [0.1, −0.1]: mean 0, Σ(r − mean)² = 0.02, over n − 1 = 1: variance 0.02, σ = √0.02 = 0.1414213562373095048…, rounded up.
    expect(out[2]).toBe(SIGMA_0_02)
    expect(out[2]).toBe(isqrtUp(2n * 10n ** 34n)) // 0.02 × 10^36, the exactly scaled variance
    // [0.1, −0.1, 0]: mean 0, Σ = 0.02, over n − 1 = 2: variance 0.01, σ = 0.1 exactly.
    expect(out[3]).toBe(10n ** 17n)
  })

  it('rolls the window: with 2 hours the oldest return is dropped', () => {
    const out = trailingVolatility(prices, 2)
    expect(out[2]).toBe(SIGMA_0_02)
    // [−0.1, 0] (the +0.1 dropped): mean −0.05, Σ(r − mean)² = 2 × 0.0025 = 0.005, over 1: σ = √0.005.
    expect(out[3]).toBe(SIGMA_0_005)
    expect(out[3]).toBe(isqrtUp(5n * 10n ** 33n)) // 0.005 × 10^36
  })

  it('rolls further: every hour only sees the last `window` returns', () => {
    // 100 → 110 → 99 → 99 → 99 → 108.9: returns +0.1, −0.1, 0, 0, +0.1.
    const longer = ['100', '110', '99', '99', '99', '108.9'].map(f)
    const out = trailingVolatility(longer, 2)
    expect(out).toEqual([0n, 0n, SIGMA_0_02, SIGMA_0_005, 0n, SIGMA_0_005])
    // [0, 0] has no spread; [0, 0.1] has variance 0.005 like [−0.1, 0].
    const wide = trailingVolatility(longer, 3)
    // Hour 4: [−0.1, 0, 0], mean −1/30, Σ(r − mean)² = 0.01 − 0.01/3 = 0.02/3, variance 0.01/3, σ = 0.0577350269189625764…, rounded up.
    // Hour 5: [0, 0, 0.1], the same spread mirrored.
    expect(wide.slice(0, 4)).toEqual([0n, 0n, SIGMA_0_02, 10n ** 17n])
    expect(wide[4]).toBe(57_735_026_918_962_577n)
    expect(wide[5]).toBe(57_735_026_918_962_577n)
  })

  it('does not depend on the price unit: the returns are ratios', () => {
    const scaled = ['1', '1.1', '0.99', '0.99'].map(f)
    expect(trailingVolatility(scaled, 2)).toEqual(trailingVolatility(prices, 2))
    const fractions = [new Fraction(1n, 3n), new Fraction(11n, 30n), new Fraction(33n, 100n), new Fraction(33n, 100n)]
    expect(trailingVolatility(fractions, 2)).toEqual([0n, 0n, SIGMA_0_02, SIGMA_0_005])
  })

  it('is 0 at every hour for constant prices, and for fewer than three prices', () => {
    expect(trailingVolatility(['2.5', '2.5', '2.5', '2.5', '2.5'].map(f), 2)).toEqual([0n, 0n, 0n, 0n, 0n])
    expect(trailingVolatility(['1', '2'].map(f), 2)).toEqual([0n, 0n])
    expect(trailingVolatility([f('1')], 2)).toEqual([0n])
    expect(trailingVolatility([], 2)).toEqual([])
  })

  it('refuses a price of zero or less, naming it', () => {
    expect(() => trailingVolatility(['1', '0', '2'].map(f), 2)).toThrow(new RangeError('Volatility needs positive prices; price 1 is 0.'))
    expect(() => trailingVolatility([f('1'), f('-2')], 2)).toThrow(RangeError)
  })

  it('rounds each return down to 10^-18 before summing', () => {
    // 3 → 4 → 3: returns 1/3 → 333333333333333333 (×10^-18) and −1/4 exactly.
    const out = trailingVolatility(
      [3n, 4n, 3n].map((value) => new Fraction(value)),
      2,
    )
    const r1 = 333_333_333_333_333_333n
    const r2 = -250_000_000_000_000_000n
    // Two values: the sample variance is (r1 − r2)² / 2.
    expect(out[2]).toBe(isqrtUp(((r1 - r2) ** 2n + 1n) / 2n))
    // (r1 − r2) / √2 = 583333333333333333 / 1.41421356… = 412478955692152722.…: its ceiling, checked by squares.
    expect(out[2]).toBe(412_478_955_692_152_723n)
    const root = out[2] as bigint
    expect(2n * root * root >= (r1 - r2) ** 2n).toBe(true)
    expect((r1 - r2) ** 2n > 2n * (root - 1n) * (root - 1n)).toBe(true)
  })

  it('agrees with the exact two-pass sample variance, rounded up under the root', () => {
    const price = fc.tuple(fc.bigInt({ min: 1n, max: 10n ** 12n }), fc.bigInt({ min: 1n, max: 10n ** 6n })).map(([n, d]) => new Fraction(n, d))
    fc.assert(
      fc.property(fc.array(price, { minLength: 0, maxLength: 12 }), fc.integer({ min: 2, max: 6 }), (series, window) => {
        const out = trailingVolatility(series, window)
        const variances = naiveVariances(series, window)
        expect(out).toHaveLength(series.length)
        out.forEach((sigma, index) => {
          const variance = variances[index] as Fraction // in (10^-18)² units, like σ² here
          // σ = ⌈√variance⌉: (σ − 1)² < variance ≤ σ².
          expect(sigma >= 0n).toBe(true)
          expect(new Fraction(sigma * sigma).compare(variance) >= 0).toBe(true)
          expect(sigma === 0n || new Fraction((sigma - 1n) * (sigma - 1n)).lessThan(variance)).toBe(true)
        })
      }),
    )
  })

  it.each([1, 0, -3, 2.5, Number.NaN, Number.POSITIVE_INFINITY])('refuses a window of %s with a RangeError', (window) => {
    expect(() => trailingVolatility(prices, window)).toThrow(RangeError)
    expect(() => trailingVolatility(prices, window)).toThrow('at least 2 hours')
  })
})

describe('holdingRisk', () => {
  const thousand = Amount.parse(USDT, '1000') // 1,000,000,000 base units
  const onePercent = 10n ** 16n // 1% per hour at the 10^18 scale

  it('takes σ over the horizon as σ_hour × √hours: 1% an hour over 4 hours is 2%, 20 USDT of 1,000', () => {
    const risk = holdingRisk(thousand, onePercent, 4, Fraction.ONE)
    expect(risk.currency).toBe(USDT)
    expect(risk.raw).toBe(20_000_000n) // 1000 × 0.02 = 20 USDT
  })

  it('multiplies by the multiplier exactly, rounding up to the base unit', () => {
    expect(holdingRisk(thousand, onePercent, 4, f('2.5')).raw).toBe(50_000_000n) // 2.5 × 20 USDT
    // 20 / 3 = 6.666666666… USDT → 6.666667
    expect(holdingRisk(thousand, onePercent, 4, new Fraction(1n, 3n)).raw).toBe(6_666_667n)
  })

  it('rounds √2 % up: 1,000 USDT × 1% × √2 = 14.142135623… → 14.142136 USDT', () => {
    // √(10^32 × 2) = ⌈√2 × 10^16⌉ = 14142135623730951, so σ_h = 1.4142135623730951 %.
    expect(holdingRisk(thousand, onePercent, 2, Fraction.ONE).raw).toBe(14_142_136n)
    // Tripled: 42.426406871… → 42.426407
    expect(holdingRisk(thousand, onePercent, 2, new Fraction(3n)).raw).toBe(42_426_407n)
  })

  it('is the hourly risk for a horizon of 1 hour and nothing for 0 hours', () => {
    expect(holdingRisk(thousand, onePercent, 1, Fraction.ONE).raw).toBe(10_000_000n)
    expect(holdingRisk(thousand, onePercent, 0, Fraction.ONE).raw).toBe(0n)
  })

  it('is 0 with a multiplier of 0, a volatility of 0 or a value of 0', () => {
    expect(holdingRisk(thousand, onePercent, 4, Fraction.ZERO).raw).toBe(0n)
    expect(holdingRisk(thousand, 0n, 4, Fraction.ONE).raw).toBe(0n)
    expect(holdingRisk(Amount.zero(USDT), onePercent, 4, Fraction.ONE).raw).toBe(0n)
  })

  it('rounds a risk under one base unit up to one', () => {
    // 0.000099 USDT × 1% = 0.00000099 USDT: less than one base unit, but not nothing.
    expect(holdingRisk(Amount.parse(USDT, '0.000099'), onePercent, 1, Fraction.ONE).raw).toBe(1n)
    // 0.0001 USDT × 1% = 0.000001 USDT: exactly one.
    expect(holdingRisk(Amount.parse(USDT, '0.0001'), onePercent, 1, Fraction.ONE).raw).toBe(1n)
  })

  it('is never under value × σ × √hours × multiplier computed exactly, nor a base unit over it with √ rounded up', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 15n }),
        fc.bigInt({ min: 0n, max: 10n ** 18n }),
        fc.integer({ min: 0, max: 24 * 30 }),
        fc.bigInt({ min: 0n, max: 1000n }),
        (raw, sigma, hours, tenths) => {
          const multiplier = new Fraction(tenths, 10n)
          const risk = holdingRisk(Amount.fromRaw(USDT, raw), sigma, hours, multiplier).raw
          // risk ≤ raw × σ√h × m / 10^18, i.e. (risk × 10^19 / (raw × tenths))² ≤ σ² h where defined.
          expect(risk >= 0n).toBe(true)
          const bound = raw * tenths // risk × 10^18 × 10 ≤ bound × σ√h
          if (bound === 0n || sigma === 0n || hours === 0) {
            expect(risk).toBe(0n)
            return
          }
          const lhs = risk * 10n ** 19n
          expect(lhs * lhs >= bound * bound * sigma * sigma * BigInt(hours)).toBe(true)
          // One base unit less is under the figure with σ√h rounded up: only the two roundings up separate them.
          expect((risk - 1n) * 10n ** 19n < bound * isqrtUp(sigma * sigma * BigInt(hours))).toBe(true)
        },
      ),
    )
  })
})
