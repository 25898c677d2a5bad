import { Fraction } from '../money/index.js'

export type EvaluateThresholdParameters = {
  /** Dust value over equity. */
  ratio: Fraction
  dustDelta: Fraction
  /** Relative band under `dustDelta`: 0.1 re-arms once the ratio is below 0.9 × dust_delta. */
  hysteresis: Fraction
  /** Whether the previous snapshot of this strategy exceeded the threshold. */
  previouslyExceeded: boolean
}

/**
 * Tells whether the dust ratio exceeds `dust_delta`, with hysteresis.
 *
 * The seed's rule is `ratio > dust_delta`. Once exceeded, the ratio must fall below
 * `dust_delta × (1 − hysteresis)` to count as back under, so a ratio hovering at the
 * threshold does not flap between detections.
 */
export function evaluateThreshold(parameters: EvaluateThresholdParameters): boolean {
  const { ratio, dustDelta, hysteresis, previouslyExceeded } = parameters
  if (!previouslyExceeded) return ratio.greaterThan(dustDelta)
  const lower = dustDelta.multiply(Fraction.ONE.subtract(hysteresis))
  return ratio.greaterThan(lower)
}
