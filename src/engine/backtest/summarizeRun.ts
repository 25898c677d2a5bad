import { scorecard } from '../../domain/backtest/scorecard.js'
import { Amount, type Currency, Fraction, type PriceBook } from '../../domain/money/index.js'
import { type BacktestRunResult, RATIO_SCALE } from './BacktestRunResult.js'
import type { RunState } from './RunState.js'

export type SummarizeRunParameters = {
  readonly shareClass: Currency
  /** The last hour's prices, at which the dust still held is valued. */
  readonly lastBook: PriceBook
  /** The number of hours replayed, over which the ratio is averaged. */
  readonly hours: number
  /** Σ over the hours of the equity (the same for every run), against which the risk is sized. */
  readonly equitySum: Amount
  /** Every reward converted at its hour, at once and for free: the realised P&L is the result less this. */
  readonly ideal: Amount
  /** What the dust the run carried into its first scored hour adds to selling the scored hours' rewards at the last hour (zero when it starts holding nothing). */
  readonly openingLiquidationCost: Amount
  /** What selling the dust it still holds at the last hour would cost (`liquidateRun`). */
  readonly liquidationCost: Amount
}

/** Sums up what a run did: its totals, its mean and peak dust ratio, the dust it still holds at the last hour's prices, and its scorecard. */
export function summarizeRun(state: RunState, parameters: SummarizeRunParameters): BacktestRunResult {
  const { shareClass, lastBook } = parameters
  let remaining = Amount.zero(shareClass)
  for (const holding of state.holdings) {
    const price = lastBook.price(holding.amount.currency, shareClass)
    if (price) remaining = remaining.add(price.quoteAmount(holding.amount, 'down'))
  }
  const meanDustRatio = new Fraction(state.ratioSum, RATIO_SCALE * BigInt(parameters.hours)).reduce()
  const result = state.proceeds.add(remaining)
  const card = scorecard({
    conversionCost: state.totalCost,
    openingLiquidationCost: parameters.openingLiquidationCost,
    liquidationCost: parameters.liquidationCost,
    meanDustRatio,
    riskSum: state.riskSum,
    equitySum: parameters.equitySum,
    hours: parameters.hours,
    result,
    ideal: parameters.ideal,
  })
  return {
    policy: state.spec.policy,
    dustDelta: state.spec.dustDelta,
    conversions: state.conversions,
    convertedValue: state.convertedValue,
    totalCost: state.totalCost,
    meanDustRatio,
    maxDustRatio: state.maxRatio,
    maxDustRatioAt: state.maxRatioAt,
    proceeds: state.proceeds,
    remainingDustValue: remaining,
    result,
    ...card,
    skipped: state.skipped,
    ratios: state.ratios,
  }
}
