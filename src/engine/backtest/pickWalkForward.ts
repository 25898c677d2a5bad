import { Fraction } from '../../domain/money/index.js'
import { BaseError } from '../../errors/index.js'
import type { BacktestPolicy } from './BacktestPolicy.js'
import type { BacktestRunResult } from './BacktestRunResult.js'

const BPS = 10_000n

/** The risk a walk-forward ranks on: the scorecard's ex-ante risk when the runs carry it, else the time-weighted dust ratio. */
export type RiskAxis = 'ex_ante_risk_bps' | 'mean_dust_ratio_bps'

/** One policy's choice on the first half. */
export type WalkForwardPick = {
  readonly policy: BacktestPolicy
  /** The run chosen: its `dustDelta` is the parameter carried to the second half. */
  readonly run: BacktestRunResult
  /** Whether the run kept within the baseline's risk; when no run of the policy did, the least risky one is chosen instead. */
  readonly withinBudget: boolean
}

export type PickWalkForwardParameters = {
  /** The first half's runs: each policy that reads `dust_delta` at each value of the grid and at the configuration's, the others once. */
  readonly runs: readonly BacktestRunResult[]
  /** The configuration's `dust_delta`: the threshold run at it is the baseline, and a candidate of every policy like the grid's values. */
  readonly dustDelta: Fraction
}

export type PickWalkForwardReturnType = {
  readonly axis: RiskAxis
  /** The seed's threshold at the configuration's `dust_delta`. */
  readonly baseline: BacktestRunResult
  /** The risk no pick may exceed: the baseline's. */
  readonly budget: Fraction
  /** One per policy, in the order the policies first appear in the runs. */
  readonly picks: readonly WalkForwardPick[]
}

/** The axis every run can be ranked on: ex-ante risk when all carry it, else the mean dust ratio (never a mix). */
export function riskAxisOf(runs: readonly BacktestRunResult[]): RiskAxis {
  return runs.length > 0 && runs.every((run) => run.exAnteRiskBps instanceof Fraction) ? 'ex_ante_risk_bps' : 'mean_dust_ratio_bps'
}

/** A run's risk on the axis, in bps. */
export function riskOf(run: BacktestRunResult, axis: RiskAxis): Fraction {
  const scored: Fraction | undefined = run.exAnteRiskBps
  if (axis === 'ex_ante_risk_bps' && scored) return scored
  return run.meanDustRatio.multiply(BPS)
}

/**
 * Chooses each policy's parameter on the first half of a walk-forward. The rule: the baseline
 * is the seed's threshold at the configuration's `dust_delta`, and its risk the budget; among a
 * policy's runs whose risk is at most the budget, the one of lowest all-in cost (fees, impact and
 * gas of its conversions and of selling what it still holds at the end) wins, a tie going to the
 * lower risk, then to the configuration's `dust_delta`, then to the smaller value. When none of a
 * policy's runs keeps within the budget, its least risky run is chosen (a tie going to the lower
 * cost, then as above) and marked as outside it. Realised P&L plays no part, nor the order the runs are listed in.
 */
export function pickWalkForward(parameters: PickWalkForwardParameters): PickWalkForwardReturnType {
  const { runs, dustDelta } = parameters
  const baseline = runs.find((run) => run.policy === 'threshold' && run.dustDelta.equals(dustDelta))
  if (!baseline) {
    throw new BaseError('The walk-forward has no baseline to compare with.', {
      code: 'invalid_parameter',
      details: `Expected a threshold run at the configuration's dust_delta ${dustDelta.toDecimalString(18)} among the first half's ${runs.length} runs, found none.`,
    })
  }
  const axis = riskAxisOf(runs)
  const budget = riskOf(baseline, axis)
  const policies = [...new Set(runs.map((run) => run.policy))]
  const picks = policies.map((policy): WalkForwardPick => {
    const own = runs.filter((run) => run.policy === policy)
    const within = own.filter((run) => !riskOf(run, axis).greaterThan(budget))
    const cost = (a: BacktestRunResult, b: BacktestRunResult): number => (a.allInCost.raw === b.allInCost.raw ? 0 : a.allInCost.raw < b.allInCost.raw ? -1 : 1)
    const risk = (a: BacktestRunResult, b: BacktestRunResult): number => riskOf(a, axis).compare(riskOf(b, axis))
    // Where the first half cannot tell runs apart, the configuration's value stays: the data gave no reason to leave it.
    const settle = (a: BacktestRunResult, b: BacktestRunResult): number => {
      const configured = Number(b.dustDelta.equals(dustDelta)) - Number(a.dustDelta.equals(dustDelta))
      return configured !== 0 ? configured : a.dustDelta.compare(b.dustDelta)
    }
    // Within the budget: the cheapest, then the less risky. Outside it: the least risky, then the cheaper.
    const byCost = (a: BacktestRunResult, b: BacktestRunResult): number => cost(a, b) || risk(a, b) || settle(a, b)
    const byRisk = (a: BacktestRunResult, b: BacktestRunResult): number => risk(a, b) || cost(a, b) || settle(a, b)
    const pool = within.length > 0 ? within : own
    const order = within.length > 0 ? byCost : byRisk
    const run = pool.reduce((best, candidate) => (order(candidate, best) < 0 ? candidate : best))
    return { policy, run, withinBudget: within.length > 0 }
  })
  return { axis, baseline, budget, picks }
}
