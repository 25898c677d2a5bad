import { Fraction } from '../../domain/money/index.js'
import type { Amount } from '../../domain/money/index.js'
import { BaseError } from '../../errors/index.js'
import type { BacktestPolicy } from './BacktestPolicy.js'
import type { BacktestRunResult } from './BacktestRunResult.js'
import { type RiskAxis, type WalkForwardPick, riskOf } from './pickWalkForward.js'

/** How much less than the baseline a policy must cost to count as beating it: 30 %. */
export const REQUIRED_SAVING = new Fraction(30n, 100n)

/** One policy's line of the walk-forward table: its first-half choice, reported on the second half. */
export type WalkForwardRow = {
  readonly policy: BacktestPolicy
  /** The parameter chosen on the first half. */
  readonly dustDelta: Fraction
  /** Whether the first-half choice kept within the baseline's first-half risk. */
  readonly withinBudget: boolean
  /** The all-in cost (`BacktestRunResult.allInCost`): what the row is ranked and compared on. */
  readonly cost: Amount
  /** Fees, impact and gas of the conversions it made, without the liquidations at either end. */
  readonly conversionCost: Amount
  /** Risk on the walk-forward's axis, in bps. */
  readonly risk: Fraction
  readonly conversions: number
  /** All-in cost against the baseline's, as a fraction: −0.35 is 35 % cheaper; `undefined` when the baseline cost nothing or less. */
  readonly costVsThreshold: Fraction | undefined
  /** At least `REQUIRED_SAVING` cheaper than the baseline (and so never when the baseline cost nothing or less), at equal or lower risk. */
  readonly beatsThreshold: boolean
}

export type CompareWalkForwardParameters = {
  readonly axis: RiskAxis
  readonly picks: readonly WalkForwardPick[]
  /** The second half's runs: must hold each pick's policy at its `dust_delta`, and the threshold at `dustDelta`. */
  readonly runs: readonly BacktestRunResult[]
  /** The configuration's `dust_delta`: the threshold run at it is the baseline. */
  readonly dustDelta: Fraction
  /**
   * The all-in cost, in the share class, under which the baseline is negligible: one USDT, or
   * what one USDT is worth in ETH at the half's last hour.
   */
  readonly negligibleBelow: Amount
}

export type CompareWalkForwardReturnType = {
  readonly baseline: BacktestRunResult
  /** Whether the baseline's all-in cost is under `negligibleBelow`: a percentage of it, or a verdict on one, says little. */
  readonly baselineNegligible: boolean
  readonly rows: readonly WalkForwardRow[]
}

function runOf(runs: readonly BacktestRunResult[], policy: BacktestPolicy, dustDelta: Fraction): BacktestRunResult {
  const run = runs.find((candidate) => candidate.policy === policy && candidate.dustDelta.equals(dustDelta))
  if (run) return run
  throw new BaseError(`The walk-forward's second half has no ${policy} run at dust_delta ${dustDelta.toDecimalString(18)}.`, {
    code: 'invalid_parameter',
    details: `Expected it among the second half's ${runs.length} runs, found none.`,
  })
}

/**
 * Reports each first-half choice on the second half against the seed's threshold at the
 * configuration's `dust_delta` there: its all-in cost, its risk, its cost relative to the
 * baseline's, and whether it costs at least 30 % less at equal or lower risk (exactly: a
 * baseline cost above zero, cost × 10 ≤ baseline cost × 7, and risk ≤ baseline risk).
 */
export function compareWalkForward(parameters: CompareWalkForwardParameters): CompareWalkForwardReturnType {
  const { axis, picks, runs, dustDelta } = parameters
  const baseline = runOf(runs, 'threshold', dustDelta)
  const baseCost = baseline.allInCost.raw
  const baseRisk = riskOf(baseline, axis)
  const keep = Fraction.ONE.subtract(REQUIRED_SAVING)
  const rows = picks.map((pick): WalkForwardRow => {
    const run = runOf(runs, pick.policy, pick.run.dustDelta)
    const cost = run.allInCost
    const risk = riskOf(run, axis)
    // Only a baseline that cost something can be undercut by a share of its cost.
    const cheapEnough = baseCost > 0n && !new Fraction(cost.raw).greaterThan(keep.multiply(baseCost))
    return {
      policy: pick.policy,
      dustDelta: pick.run.dustDelta,
      withinBudget: pick.withinBudget,
      cost,
      conversionCost: run.conversionCost,
      risk,
      conversions: run.conversions.length,
      costVsThreshold: baseCost <= 0n ? undefined : new Fraction(cost.raw - baseCost, baseCost).reduce(),
      beatsThreshold: cheapEnough && !risk.greaterThan(baseRisk),
    }
  })
  return { baseline, baselineNegligible: baseline.allInCost.lessThan(parameters.negligibleBelow), rows }
}
