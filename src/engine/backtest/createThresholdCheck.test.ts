import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { evaluateThreshold } from '../../domain/dust/index.js'
import { Fraction } from '../../domain/money/index.js'
import { RATIO_SCALE } from './BacktestRunResult.js'
import { createThresholdCheck } from './createThresholdCheck.js'

const scaledOf = (ratio: Fraction) => (ratio.numerator * RATIO_SCALE) / ratio.denominator

describe('createThresholdCheck', () => {
  it('answers as evaluateThreshold does, at the threshold, just over and just under it, with and without hysteresis', () => {
    const dustDelta = Fraction.fromDecimalString('0.002')
    const hysteresis = Fraction.fromDecimalString('0.1')
    const check = createThresholdCheck({ dustDelta, hysteresis })
    const tiny = new Fraction(1n, 10n ** 30n)
    for (const ratio of [dustDelta, dustDelta.add(tiny), dustDelta.subtract(tiny), Fraction.fromDecimalString('0.0018'), Fraction.fromDecimalString('0.0018').add(tiny), Fraction.ZERO]) {
      for (const previouslyExceeded of [false, true]) {
        expect(check(ratio, scaledOf(ratio), previouslyExceeded)).toBe(evaluateThreshold({ ratio, dustDelta, hysteresis, previouslyExceeded }))
      }
    }
    expect(check(dustDelta.add(tiny), scaledOf(dustDelta), false)).toBe(true)
    expect(check(Fraction.fromDecimalString('0.0019'), scaledOf(Fraction.fromDecimalString('0.0019')), true)).toBe(true)
  })

  it('agrees with evaluateThreshold on any ratio, dust_delta, hysteresis and previous verdict', () => {
    const fraction = (max: bigint) => fc.tuple(fc.bigInt({ min: 0n, max }), fc.bigInt({ min: 1n, max })).map(([numerator, denominator]) => new Fraction(numerator, denominator))
    fc.assert(
      fc.property(fraction(10n ** 20n), fraction(10n ** 6n), fraction(100n), fc.boolean(), (ratio, dustDelta, hysteresis, previouslyExceeded) => {
        const check = createThresholdCheck({ dustDelta, hysteresis })
        expect(check(ratio, scaledOf(ratio), previouslyExceeded)).toBe(evaluateThreshold({ ratio, dustDelta, hysteresis, previouslyExceeded }))
      }),
      { numRuns: 2000, seed: 17 },
    )
  })
})
