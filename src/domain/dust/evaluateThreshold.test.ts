import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { Fraction } from '../money/index.js'
import { evaluateThreshold } from './evaluateThreshold.js'

const d = (text: string) => Fraction.fromDecimalString(text)
const base = { dustDelta: d('0.002'), hysteresis: d('0.1') }

describe('evaluateThreshold', () => {
  it('applies the seed rule ratio > dust_delta, strictly, while not exceeded', () => {
    expect(evaluateThreshold({ ...base, ratio: d('0.00266'), previouslyExceeded: false })).toBe(true)
    expect(evaluateThreshold({ ...base, ratio: d('0.002'), previouslyExceeded: false })).toBe(false)
    expect(evaluateThreshold({ ...base, ratio: d('0.0020000001'), previouslyExceeded: false })).toBe(true)
    expect(evaluateThreshold({ ...base, ratio: d('0.0019'), previouslyExceeded: false })).toBe(false)
    expect(evaluateThreshold({ ...base, ratio: Fraction.ZERO, previouslyExceeded: false })).toBe(false)
  })

  it('once exceeded, stays exceeded until the ratio falls to dust_delta × (1 − hysteresis) = 0.0018', () => {
    expect(evaluateThreshold({ ...base, ratio: d('0.002'), previouslyExceeded: true })).toBe(true)
    expect(evaluateThreshold({ ...base, ratio: d('0.0019'), previouslyExceeded: true })).toBe(true)
    expect(evaluateThreshold({ ...base, ratio: d('0.0018000001'), previouslyExceeded: true })).toBe(true)
    expect(evaluateThreshold({ ...base, ratio: d('0.0018'), previouslyExceeded: true })).toBe(false)
    expect(evaluateThreshold({ ...base, ratio: d('0.0017'), previouslyExceeded: true })).toBe(false)
  })

  it('does not flap for a ratio hovering around dust_delta', () => {
    const ratios = ['0.00201', '0.00199', '0.00202', '0.00198', '0.00201'].map(d)
    let exceeded = false
    const seen = ratios.map((ratio) => (exceeded = evaluateThreshold({ ...base, ratio, previouslyExceeded: exceeded })))
    expect(seen).toEqual([true, true, true, true, true])
  })

  it('behaves as the plain rule with a hysteresis of 0', () => {
    const none = { dustDelta: d('0.002'), hysteresis: Fraction.ZERO }
    expect(evaluateThreshold({ ...none, ratio: d('0.002'), previouslyExceeded: true })).toBe(false)
    expect(evaluateThreshold({ ...none, ratio: d('0.0020001'), previouslyExceeded: true })).toBe(true)
  })

  it('never turns exceeding off above dust_delta, nor on at or below the lower bound (property)', () => {
    const fraction = fc.bigInt({ min: 0n, max: 10_000n }).map((n) => new Fraction(n, 10_000n))
    fc.assert(
      fc.property(fraction, fraction, fraction, fc.boolean(), (ratio, dustDelta, hysteresis, previouslyExceeded) => {
        const result = evaluateThreshold({ ratio, dustDelta, hysteresis, previouslyExceeded })
        if (!previouslyExceeded) expect(result).toBe(ratio.greaterThan(dustDelta))
        if (ratio.greaterThan(dustDelta)) expect(result).toBe(true)
        const lower = dustDelta.multiply(Fraction.ONE.subtract(hysteresis))
        if (!ratio.greaterThan(lower) && !ratio.greaterThan(dustDelta)) expect(result).toBe(false)
      }),
    )
  })
})
