import { evaluateThreshold } from '../../domain/dust/index.js'
import { Fraction, divRound } from '../../domain/money/index.js'
import { RATIO_SCALE } from './BacktestRunResult.js'

/** Whether a ratio, given with its floor at `RATIO_SCALE`, exceeds a run's threshold after the run's previous verdict. */
export type ThresholdCheck = (ratio: Fraction, scaled: bigint, previouslyExceeded: boolean) => boolean

/** A threshold with its floor at `RATIO_SCALE`. */
type Level = { readonly value: Fraction; readonly scaled: bigint }

const level = (value: Fraction): Level => ({ value, scaled: divRound(value.numerator * RATIO_SCALE, value.denominator, 'down') })

/**
 * Creates the hysteresis check of one run (`evaluateThreshold`'s rule: above `dustDelta`, or,
 * once exceeded, above `dustDelta × (1 − hysteresis)`), answered from the ratio's floor at
 * `RATIO_SCALE` whenever it differs from the level's, and exactly otherwise. With s = ⌊r × S⌋
 * and l = ⌊t × S⌋, s > l gives r ≥ s / S > t, and s < l gives r < (s + 1) / S ≤ t: a backtest
 * checks every run at every hour without multiplying fractions. `scaled` must be ⌊ratio × S⌋.
 */
export function createThresholdCheck(parameters: { readonly dustDelta: Fraction; readonly hysteresis: Fraction }): ThresholdCheck {
  const { dustDelta, hysteresis } = parameters
  const above = level(dustDelta)
  const lower = level(dustDelta.multiply(Fraction.ONE.subtract(hysteresis)))
  return (ratio, scaled, previouslyExceeded) => {
    const threshold = previouslyExceeded ? lower : above
    if (scaled >= 0n && scaled !== threshold.scaled) return scaled > threshold.scaled
    return evaluateThreshold({ ratio, dustDelta, hysteresis, previouslyExceeded })
  }
}
